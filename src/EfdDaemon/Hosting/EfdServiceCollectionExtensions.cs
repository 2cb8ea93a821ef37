using System.Diagnostics.Metrics;
using EfdDaemon.Configuration;
using EfdDaemon.Events;
using EfdDaemon.Kernel;
using EfdDaemon.Logging;
using EfdDaemon.Metrics;
using EfdDaemon.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;

namespace EfdDaemon.Hosting;

/// <summary>One <c>AddEfd&lt;Thing&gt;()</c> per service family; <see cref="EfdHost"/> calls them in order.</summary>
internal static class EfdServiceCollectionExtensions
{
    /// <summary>Binds and validates (at start) <c>Daemon</c>, <c>Module</c>, <c>Logging</c> and <c>LogHandler</c>.</summary>
    public static IServiceCollection AddEfdOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEfdSection<DaemonOptions, DaemonOptionsValidator>(configuration, DaemonOptions.SectionName);
        services.AddEfdSection<ModuleOptions, ModuleOptionsValidator>(configuration, ModuleOptions.SectionName);
        services.AddEfdSection<LoggingOptions, LoggingOptionsValidator>(configuration, LoggingOptions.SectionName);
        services.AddEfdSection<LogHandlerOptions, LogHandlerOptionsValidator>(configuration, LogHandlerOptions.SectionName);
        return services;
    }

    /// <summary>The eventfd reader, the dispatcher, their counters and the meter.</summary>
    public static IServiceCollection AddEfdEvents(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DispatchCounters>();
        services.TryAddSingleton(sp => new EfdMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new EventfdSource(
            sp.GetRequiredService<IOptions<DaemonOptions>>().Value.EventfdMode,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventfdSource>(),
            sp.GetRequiredService<DispatchCounters>(),
            sp.GetRequiredService<EfdMetrics>()));
        services.TryAddSingleton(sp => new EventDispatcher(
            sp.GetServices<IEventHandler>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventDispatcher>(),
            HandlerSettingsReader.Read(sp.GetRequiredService<IConfiguration>(), out IReadOnlyList<string> errors)
                ?? throw new InvalidOperationException(string.Join("; ", errors)),
            sp.GetRequiredService<DispatchCounters>(),
            sp.GetRequiredService<EfdMetrics>()));
        services.AddSingleton<IConfigReloadable, HandlerSettingsReload>();
        return services;
    }

    /// <summary>The modprobe helper; tests replace <see cref="IKernelModuleLoader"/> before or after this call.</summary>
    public static IServiceCollection AddEfdKernelModule(this IServiceCollection services)
    {
        services.TryAddSingleton<IKernelModuleLoader>(sp => new KernelModuleLoader(
            sp.GetRequiredService<IOptions<ModuleOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<KernelModuleLoader>()));
        return services;
    }

    /// <summary>The ordered start (eventfd, module, run files, reader) and stop (drain, counters, run files).</summary>
    public static IServiceCollection AddEfdDaemon(this IServiceCollection services, string configDirectory)
    {
        services.TryAddSingleton(sp => new DaemonInfo(configDirectory, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(new PluginStatusRegistry());
        services.AddHostedService<DaemonService>();
        return services;
    }

    /// <summary>The registry the plugin loader reports to, usable while services are still being registered.</summary>
    public static PluginStatusRegistry GetPluginStatusRegistry(this IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(PluginStatusRegistry))?.ImplementationInstance is PluginStatusRegistry registry)
        {
            return registry;
        }

        registry = new PluginStatusRegistry();
        services.AddSingleton(registry);
        return registry;
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

    /// <summary>Serilog, configured from <c>Logging</c>; other logger providers (tests) still receive entries.</summary>
    public static IServiceCollection AddEfdLogging(this IServiceCollection services)
    {
        // Serilog applies Logging:MinimumLevel; Microsoft.Extensions.Logging's own filter would stop at Information.
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddSerilog(
            (sp, lc) => LoggingSetup.Configure(lc, sp.GetRequiredService<IOptions<LoggingOptions>>().Value, Environment.GetEnvironmentVariable),
            writeToProviders: true);
        return services;
    }

    private static void AddEfdSection<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddKnownConfigurationSection<TOptions>(section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
