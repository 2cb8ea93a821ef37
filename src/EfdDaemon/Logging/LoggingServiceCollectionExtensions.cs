using EfdDaemon.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;

namespace EfdDaemon.Logging;

/// <summary>Registers <c>Logging</c> and Serilog configured from it; other logger providers (tests) still receive entries.</summary>
internal static class LoggingServiceCollectionExtensions
{
    public static IServiceCollection AddEfdLogging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEfdSection<LoggingOptions, LoggingOptionsValidator>(configuration, LoggingOptions.SectionName);

        // Serilog applies Logging:MinimumLevel; Microsoft.Extensions.Logging's own filter would stop at Information.
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddSerilog(
            (sp, lc) => LoggingSetup.Configure(lc, sp.GetRequiredService<IOptions<LoggingOptions>>().Value, Environment.GetEnvironmentVariable),
            writeToProviders: true);
        return services;
    }
}
