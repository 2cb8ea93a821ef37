namespace EfdCtl.Cli;

/// <summary>One parsed efdctl invocation, as the commands receive it.</summary>
internal sealed record CtlCommand
{
    public const string DefaultRunDirectory = EfdDaemon.RunFiles.RunDirectory.Default;
    public const string DefaultSysfsDirectory = EfdDaemon.Sysfs.ModuleSysfs.DefaultDirectory;

    public string RunDirectory { get; init; } = DefaultRunDirectory;

    public string SysfsDirectory { get; init; } = DefaultSysfsDirectory;

    /// <summary><c>--json</c> (status, listen).</summary>
    public bool Json { get; init; }

    /// <summary><c>listen --acpid</c>: acpid's event strings only, as acpi_listen prints them.</summary>
    public bool Acpid { get; init; }

    /// <summary><c>signal [N]</c>.</summary>
    public ulong SignalCount { get; init; } = 1;

    /// <summary><c>check-config [FILE]</c>.</summary>
    public string? ConfigFile { get; init; }

    /// <summary><c>listen --kind KIND</c>, as canonical kind names (<c>TRIGGER</c>, <c>USER_0x1234</c>).</summary>
    public IReadOnlyList<string> Kinds { get; init; } = [];
}
