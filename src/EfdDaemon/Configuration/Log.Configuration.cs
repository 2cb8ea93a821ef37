using Microsoft.Extensions.Logging;

namespace EfdDaemon;

/// <summary>Configuration lines, in the lifecycle range: 1010-1019.</summary>
internal static partial class Log
{
    [LoggerMessage(1010, LogLevel.Warning, "Configuration: {Problem}; the key is ignored (efd-daemon --check-config lists them all)")]
    public static partial void UnknownConfigurationKey(ILogger logger, string problem);
}
