using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Plugins.RateAlert;

/// <summary>The plugin's entry point: reads <c>Plugins:RateAlert</c> and registers <see cref="RateAlertHandler"/>.</summary>
public sealed class RateAlertPlugin : IEfdPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        RateAlertOptions options = RateAlertOptions.Read(configuration);
        services.AddSingleton(sp => new RateAlertHandler(
            options,
            sp.GetRequiredService<ILogger<RateAlertHandler>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddEventHandler<RateAlertHandler>();
    }
}
