using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Configuration;

/// <summary>
/// Logs each unknown key as a warning when the daemon starts and after each reload (SIGHUP), and
/// never stops it: an upgrade that drops a key must not stop a machine. <c>--check-config</c> reports them as errors instead.
/// </summary>
internal sealed class UnknownKeyWarnings(IServiceProvider services, ILogger<UnknownKeyWarnings> logger) : IHostedService, IConfigReloadable
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Warn();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Unknown keys never reject a reload.</summary>
    public IReadOnlyList<string> Validate(IConfiguration configuration) => [];

    public void Apply(IConfiguration configuration) => Warn();

    private void Warn()
    {
        foreach (UnknownKey key in UnknownKeyCheck.Find(services))
        {
            Log.UnknownConfigurationKey(logger, key.ToString());
        }
    }
}

internal static class UnknownKeyWarningsServiceCollectionExtensions
{
    /// <summary>Registers the warnings at start and on reload.</summary>
    public static IServiceCollection AddEfdUnknownKeyWarnings(this IServiceCollection services)
    {
        services.AddSingleton<UnknownKeyWarnings>();
        services.AddHostedService(sp => sp.GetRequiredService<UnknownKeyWarnings>());
        services.AddSingleton<IConfigReloadable>(sp => sp.GetRequiredService<UnknownKeyWarnings>());
        return services;
    }
}
