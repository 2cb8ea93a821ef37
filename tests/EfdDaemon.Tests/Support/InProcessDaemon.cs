using EfdDaemon.Events;
using EfdDaemon.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EfdDaemon.Tests.Support;

/// <summary>The real host, in this process, with a temp config and run directory and <c>Module:Enabled=false</c>.</summary>
internal sealed class InProcessDaemon : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private bool _stopped;

    public InProcessDaemon(Action<HostApplicationBuilder>? configure = null, params string[] extraArgs)
    {
        Directory.CreateDirectory(_dir.Combine("etc"));
        string[] args =
        [
            "--config-dir", _dir.Combine("etc"),
            $"--Daemon:RunDirectory={RunDirectory}",
            "--Module:Enabled=false",
            "--Logging:Journal=Off",
            .. extraArgs,
        ];
        HostApplicationBuilder builder = EfdHost.CreateBuilder(args);
        configure?.Invoke(builder);
        Host = builder.Build();
    }

    public IHost Host { get; }

    public string RunDirectory => _dir.Combine("run");

    public EventfdSource Source => Host.Services.GetRequiredService<EventfdSource>();

    public EventDispatcher Dispatcher => Host.Services.GetRequiredService<EventDispatcher>();

    public static Action<HostApplicationBuilder> WithHandlers(params IEventHandler[] handlers) => builder =>
    {
        foreach (IEventHandler h in handlers)
        {
            builder.Services.AddSingleton(h);
        }
    };

    public Task StartAsync() => Host.StartAsync();

    public async Task StopAsync()
    {
        _stopped = true;
        await Host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await Host.StopAsync();
        }

        Host.Dispose();
        _dir.Dispose();
    }
}
