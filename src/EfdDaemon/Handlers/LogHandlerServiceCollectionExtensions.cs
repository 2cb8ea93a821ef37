using EfdDaemon.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Handlers;

/// <summary>Registers the built-in <see cref="LogHandler"/>.</summary>
internal static class LogHandlerServiceCollectionExtensions
{
    public static IServiceCollection AddEfdLogHandler(this IServiceCollection services)
    {
        services.AddEventHandler<LogHandler>();
        services.AddSingleton<IConfigReloadable>(sp => sp.GetRequiredService<LogHandler>());
        return services;
    }
}
