using EfdDaemon.Events;
using EfdDaemon.Hosting;
using EfdDaemon.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.TestSupport;

/// <summary>
/// The real host (<see cref="EfdHost"/>), in this process, with a temp config and run directory,
/// <c>Module:Enabled=false</c>, journal off, one plugin directory (none unless given), a
/// <see cref="Probe"/> the test plugins report to, and a recording logger.
/// </summary>
internal sealed class InProcessDaemon : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("efd-daemon-");
    private bool _started;
    private bool _stopped;

    /// <summary>A daemon whose container <paramref name="configure"/> may change (e.g. <see cref="WithHandlers"/>).</summary>
    public InProcessDaemon(Action<HostApplicationBuilder>? configure = null, params string[] extraArgs)
        : this(null, null, configure, extraArgs)
    {
    }

    /// <summary>A daemon that loads plugins from <paramref name="pluginDirectory"/> and reads <paramref name="configJson"/> as its efd-daemon.json.</summary>
    public InProcessDaemon(string? pluginDirectory, string? configJson = null, params string[] extraArgs)
        : this(pluginDirectory, configJson, null, extraArgs)
    {
    }

    private InProcessDaemon(string? pluginDirectory, string? configJson, Action<HostApplicationBuilder>? configure, string[] extraArgs)
    {
        Directory.CreateDirectory(ConfigDirectory);
        if (configJson is not null)
        {
            File.WriteAllText(ConfigFile, configJson);
        }

        string[] args =
        [
            "--config-dir", ConfigDirectory,
            $"--Daemon:RunDirectory={RunDirectory}",
            $"--Daemon:PluginDirectories:0={pluginDirectory ?? _dir.Combine("no-plugins")}",
            "--Module:Enabled=false",
            "--Logging:Journal=Off",
            .. extraArgs,
        ];
        HostApplicationBuilder builder = EfdHost.CreateBuilder(args);
        builder.Services.AddSingleton<IProgress<string>>(Probe);
        builder.Services.AddSingleton<ILoggerProvider>(Logs);
        configure?.Invoke(builder);
        Host = builder.Build();
    }

    public IHost Host { get; }

    public Probe Probe { get; } = new();

    public RecordingLoggerProvider Logs { get; } = new();

    public string ConfigDirectory => _dir.Combine("etc");

    public string ConfigFile => Path.Combine(ConfigDirectory, "efd-daemon.json");

    public string RunDirectory => _dir.Combine("run");

    public EventfdSource Source => Host.Services.GetRequiredService<EventfdSource>();

    public EventDispatcher Dispatcher => Host.Services.GetRequiredService<EventDispatcher>();

    public IReadOnlyList<PluginStatus> Plugins => Host.Services.GetRequiredService<PluginStatusRegistry>().Snapshot();

    public ReloadService Reloader => Host.Services.GetRequiredService<ReloadService>();

    /// <summary>Registers <paramref name="handlers"/> in the daemon's container, beside its own.</summary>
    public static Action<HostApplicationBuilder> WithHandlers(params IEventHandler[] handlers) => builder =>
    {
        foreach (IEventHandler h in handlers)
        {
            builder.Services.AddSingleton(h);
        }
    };

    public async Task StartAsync()
    {
        _started = true;
        await Host.StartAsync();
    }

    /// <summary>Writes 1 to the daemon's eventfd, as <c>efdctl signal</c> does without the module.</summary>
    public void Signal() => Native.SignalEventfd(Source.EventfdNumber);

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
