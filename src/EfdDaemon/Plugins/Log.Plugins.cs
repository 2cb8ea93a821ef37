using EfdDaemon.Plugins;
using Microsoft.Extensions.Logging;

namespace EfdDaemon;

/// <summary>Plugin lines, event ids 4xxx. <c>{Plugin}</c> becomes the journal field PLUGIN.</summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Information, "Plugin {Plugin} loaded from {PluginPath}")]
    public static partial void PluginLoaded(ILogger logger, string plugin, string pluginPath);

    [LoggerMessage(4001, LogLevel.Information, "Plugin {Plugin} in {PluginPath} is disabled: {Reason}")]
    public static partial void PluginDisabled(ILogger logger, string plugin, string pluginPath, string? reason);

    [LoggerMessage(4002, LogLevel.Error, "Plugin {Plugin} in {PluginPath} refused: {Reason}")]
    public static partial void PluginRefused(ILogger logger, string plugin, string pluginPath, string? reason);

    [LoggerMessage(4003, LogLevel.Error, "Plugin {Plugin} in {PluginPath} failed and is skipped: {Reason}")]
    public static partial void PluginFailed(ILogger logger, string plugin, string pluginPath, string? reason, Exception? exception);

    [LoggerMessage(4004, LogLevel.Information, "Plugins: {Loaded} loaded, {NotLoaded} not loaded, from {PluginDirectories}")]
    public static partial void PluginsSummary(ILogger logger, int loaded, int notLoaded, string pluginDirectories);

    public static void PluginResult(ILogger logger, PluginLoadResult status)
    {
        switch (status.State)
        {
            case PluginState.Loaded:
                PluginLoaded(logger, status.Name, status.Path);
                break;
            case PluginState.Disabled:
                PluginDisabled(logger, status.Name, status.Path, status.Reason);
                break;
            case PluginState.Refused:
                PluginRefused(logger, status.Name, status.Path, status.Reason);
                break;
            default:
                PluginFailed(logger, status.Name, status.Path, status.Reason, status.Exception);
                break;
        }
    }
}
