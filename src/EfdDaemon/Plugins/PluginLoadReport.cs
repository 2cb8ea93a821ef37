using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Plugins;

/// <summary>The plugins found at start and what became of each; read by the control socket's status.</summary>
internal sealed class PluginLoadReport
{
    public PluginLoadReport(IReadOnlyList<string> directories, IReadOnlyList<PluginLoadResult> statuses)
    {
        Directories = directories;
        Statuses = statuses;
    }

    public IReadOnlyList<string> Directories { get; }

    public IReadOnlyList<PluginLoadResult> Statuses { get; }
}

/// <summary>Logs each plugin's state once, when the host starts: no logger exists yet while plugins are loaded.</summary>
internal sealed class PluginLoadReportLogger(PluginLoadReport report, ILogger<PluginCatalog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (PluginLoadResult status in report.Statuses)
        {
            Log.PluginResult(logger, status);
        }

        int loaded = report.Statuses.Count(s => s.State == PluginState.Loaded);
        Log.PluginsSummary(logger, loaded, report.Statuses.Count - loaded, string.Join(", ", report.Directories));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
