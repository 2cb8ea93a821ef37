namespace EfdDaemon;

/// <summary>The daemon's exit codes (src/EfdDaemon/INTERFACES.md); <c>efdctl check-config</c> reads them too.</summary>
internal static class DaemonExitCodes
{
    public const int Ok = 0;

    /// <summary>Invalid configuration or command line, reported before anything is touched.</summary>
    public const int InvalidConfiguration = 1;

    /// <summary>Start-up failed: module, eventfd, run directory or control socket.</summary>
    public const int StartupFailure = 2;

    /// <summary>An internal error, including the reader thread dying.</summary>
    public const int InternalError = 70;
}
