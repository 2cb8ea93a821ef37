using EfdDaemon.Events;
using EfdDaemon.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Plugins.Tests.Support;

/// <summary>
/// The real host (<see cref="EfdHost"/>), in this process, with a temp config and run directory,
/// <c>Module:Enabled=false</c>, the given plugin directory, a <see cref="Probe"/> the test plugins report
/// to, and a recording logger.
/// </summary>
internal sealed class InProcessDaemon : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("efd-daemon-");
    private bool _started;
    private bool _stopped;

    public InProcessDaemon(string? pluginDirectory, string? configJson = null, params string[] extraArgs)
    {
        Directory.CreateDirectory(ConfigDirectory);
        if (configJson is not null)
        {
            File.WriteAllText(ConfigFile, configJson);
        }

        string[] args =
        [
            "--config-dir", ConfigDirectory,
            $"--Daemon:RunDirectory={_dir.Combine("run")}",
            $"--Daemon:PluginDirectories:0={pluginDirectory ?? _dir.Combine("no-plugins")}",
            "--Module:Enabled=false",
            "--Logging:Journal=Off",
            .. extraArgs,
        ];
        HostApplicationBuilder builder = EfdHost.CreateBuilder(args);
        builder.Services.AddSingleton<IProgress<string>>(Probe);
        builder.Services.AddSingleton<ILoggerProvider>(Logs);
        Host = builder.Build();
    }

    public IHost Host { get; }

    public Probe Probe { get; } = new();

    public RecordingLoggerProvider Logs { get; } = new();

    public string ConfigDirectory => _dir.Combine("etc");

    public string ConfigFile => Path.Combine(ConfigDirectory, "efd-daemon.json");

    public EventDispatcher Dispatcher => Host.Services.GetRequiredService<EventDispatcher>();

    public IReadOnlyList<PluginStatus> Plugins => Host.Services.GetRequiredService<PluginStatusRegistry>().Snapshot();

    public ReloadService Reloader => Host.Services.GetRequiredService<ReloadService>();

    public async Task StartAsync()
    {
        _started = true;
        await Host.StartAsync();
    }

    /// <summary>Writes 1 to the daemon's eventfd, as <c>efdctl signal</c> does without the module.</summary>
    public void Signal() => Native.SignalEventfd(Host.Services.GetRequiredService<EventfdSource>().EventfdNumber);

    public async Task StopAsync()
    {
        _stopped = true;
        await Host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_started && !_stopped)
        {
            await Host.StopAsync();
        }

        Host.Dispose();
        _dir.Dispose();
    }
}
