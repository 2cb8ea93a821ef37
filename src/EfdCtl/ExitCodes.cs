namespace EfdCtl;

/// <summary>efdctl's exit codes; documented in <c>--help</c> and README.md.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The operation failed: the daemon replied an error, a write failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad command line.</summary>
    public const int Usage = 2;

    /// <summary>No run file, a stale pid, no control socket, or the daemon went away.</summary>
    public const int NotRunning = 3;

    /// <summary>Permission denied (efdctl needs root for most commands).</summary>
    public const int PermissionDenied = 4;

    /// <summary><c>check-config</c>: the configuration is invalid.</summary>
    public const int InvalidConfiguration = 5;
}
