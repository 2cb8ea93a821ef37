using EfdDaemon.Configuration;
using EfdDaemon.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EfdDaemon.Hosting;

/// <summary>The lifecycle's own registrations; <see cref="EfdHost"/> calls every family's <c>AddEfd&lt;Thing&gt;()</c> in order.</summary>
internal static class HostingServiceCollectionExtensions
{
    /// <summary><c>Daemon</c>, and the ordered start (eventfd, module, run files, reader) and stop (drain, counters, run files).</summary>
    public static IServiceCollection AddEfdDaemon(this IServiceCollection services, IConfiguration configuration, string configDirectory)
    {
        services.AddEfdSection<DaemonOptions, DaemonOptionsValidator>(configuration, DaemonOptions.SectionName);
        services.TryAddSingleton(sp => new DaemonInfo(configDirectory, sp.GetRequiredService<TimeProvider>()));
        services.GetPluginStatusRegistry();
        services.AddHostedService<DaemonService>();
        return services;
    }

    /// <summary>READY/STOPPING (Microsoft.Extensions.Hosting.Systemd), WATCHDOG=1, SIGHUP reload.</summary>
    public static IServiceCollection AddEfdSystemd(this IServiceCollection services)
    {
        services.AddSystemd();
        services.AddHostedService<WatchdogService>();
        services.AddSingleton<ReloadService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReloadService>());
        return services;
    }
}
