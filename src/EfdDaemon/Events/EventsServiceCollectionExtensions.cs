using System.Diagnostics.Metrics;
using EfdDaemon.Configuration;
using EfdDaemon.Kernel;
using EfdDaemon.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Events;

/// <summary>Registers the eventfd reader, the dispatcher, their counters, the meter and the handler settings' reload.</summary>
internal static class EventsServiceCollectionExtensions
{
    public static IServiceCollection AddEfdEvents(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeliveryCounters>();
        services.TryAddSingleton(sp => new EfdMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new EventfdSource(
            sp.GetRequiredService<IOptions<DaemonOptions>>().Value.EventfdMode,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventfdSource>(),
            sp.GetRequiredService<DeliveryCounters>()));
        services.TryAddSingleton(sp => new EventDispatcher(
            sp.GetServices<IEventHandler>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventDispatcher>(),
            HandlerSettingsReader.Read(sp.GetRequiredService<IConfiguration>(), out IReadOnlyList<string> errors)
                ?? throw new InvalidOperationException(string.Join("; ", errors)),
            sp.GetRequiredService<EfdMetrics>(),
            HandlerSettingsReader.QueueLimit(sp.GetRequiredService<IOptions<ModuleOptions>>().Value)));
        services.AddSingleton<IConfigReloadable, HandlerSettingsReload>();
        return services;
    }
}
