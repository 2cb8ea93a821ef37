namespace EfdCtl.Tests.Fakes;

/// <summary>
/// A test that runs efdctl as user nobody through setpriv: needs root (to drop to nobody), setpriv,
/// and an efdctl.dll that nobody can reach. A missing one follows <see cref="Prerequisites"/>:
/// skipped with the reason, failed with it under CI.
/// </summary>
public sealed class RequiresUnprivilegedRunFactAttribute() : PrerequisiteFactAttribute(WhyMissing())
{
    public const string Setpriv = "/usr/bin/setpriv";

    private static string? WhyMissing() =>
        !Environment.IsPrivilegedProcess ? "requires root, to run efdctl as user nobody"
        : !File.Exists(Setpriv) ? $"requires {Setpriv} (util-linux)"
        : !WorldReachable(EfdctlProcess.Dll) ? $"user nobody cannot read {EfdctlProcess.Dll} (a parent directory is not world-searchable)"
        : null;

    private static bool WorldReachable(string path)
    {
        if (!File.Exists(path) || !File.GetUnixFileMode(path).HasFlag(UnixFileMode.OtherRead))
        {
            return false;
        }

        for (DirectoryInfo? d = new FileInfo(path).Directory; d is not null; d = d.Parent)
        {
            if (!d.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }
}
