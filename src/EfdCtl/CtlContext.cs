namespace EfdCtl;

/// <summary>What efdctl sees of the world: its output streams, environment and privileges (replaced in tests).</summary>
internal sealed class CtlContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public bool IsRoot { get; init; } = Environment.IsPrivilegedProcess;

    /// <summary>The directory efdctl runs from: <c>efd-daemon</c> beside it is the last place check-config looks.</summary>
    public string BaseDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>Called once the daemon has acknowledged <c>listen</c>: events raised from then on are printed (tests wait on it).</summary>
    public Action? Listening { get; init; }

    /// <summary>How long status waits for the daemon's reply.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
