using EfdDaemon.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Handlers;

/// <summary>Registers <c>LogHandler</c> and the built-in <see cref="LogHandler"/>.</summary>
internal static class LogHandlerServiceCollectionExtensions
{
    public static IServiceCollection AddEfdLogHandler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEfdSection<LogHandlerOptions, LogHandlerOptionsValidator>(configuration, LogHandlerOptions.SectionName);
        services.AddEventHandler<LogHandler>();
        services.AddSingleton<IConfigReloadable>(sp => sp.GetRequiredService<LogHandler>());
        return services;
    }
}
