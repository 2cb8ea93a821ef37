using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EfdDaemon.Metrics;

/// <summary>Registers the <c>EfdDaemon</c> meter, and its call-duration histogram for the dispatcher to record into.</summary>
internal static class MetricsServiceCollectionExtensions
{
    public static IServiceCollection AddEfdMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new EfdMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<EfdMetrics>().HandlerDuration);
        return services;
    }
}
