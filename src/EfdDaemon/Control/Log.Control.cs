using Microsoft.Extensions.Logging;

namespace EfdDaemon;

/// <summary>The control socket's bounds, event ids 6002-6099 (6000 and 6001 are in Log.cs).</summary>
internal static partial class Log
{
    [LoggerMessage(6002, LogLevel.Warning, "Control socket at its cap of {MaxConnections} open connections (Daemon:MaxControlConnections): refusing new ones until one closes; logged once per burst")]
    public static partial void ControlConnectionsAtCap(ILogger logger, int maxConnections);

    [LoggerMessage(6003, LogLevel.Warning, "Control client sent a request longer than {MaxRequestBytes} bytes: answered \"request too long\" and closed")]
    public static partial void ControlRequestTooLong(ILogger logger, int maxRequestBytes);

    [LoggerMessage(6004, LogLevel.Debug, "Control client idle for {IdleTimeout} (Daemon:ControlIdleTimeout): closed")]
    public static partial void ControlClientIdle(ILogger logger, TimeSpan idleTimeout);

    [LoggerMessage(6005, LogLevel.Debug, "Control connection closed ({Open} open)")]
    public static partial void ControlConnectionClosed(ILogger logger, int open);
}
