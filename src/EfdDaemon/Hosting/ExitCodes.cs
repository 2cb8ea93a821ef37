namespace EfdDaemon.Hosting;

/// <summary>The daemon's exit codes (src/EfdDaemon/INTERFACES.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int InvalidConfiguration = 1;
    public const int StartupFailure = 2;
    public const int InternalError = 70;
}
