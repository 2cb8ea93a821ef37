namespace EfdDaemon.RunFiles;

/// <summary>The run directory the daemon publishes and efdctl reads (src/EfdDaemon/INTERFACES.md, installed layout).</summary>
internal static class RunDirectory
{
    public const string Default = "/run/efd-daemon";

    /// <summary>The daemon's pid, one decimal line.</summary>
    public const string PidFile = "pid";

    /// <summary>The number of the daemon's eventfd, one decimal line.</summary>
    public const string EventFdFile = "efd";

    /// <summary>The control socket (AF_UNIX stream, mode 0600, NDJSON).</summary>
    public const string ControlSocketFile = "control.sock";
}
