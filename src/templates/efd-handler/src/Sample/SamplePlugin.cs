using EfdDaemon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sample;

/// <summary>
/// The plugin's entry point: efd-daemon creates it once at start and passes the configuration
/// section <c>Plugins:Sample</c> (from <c>/etc/efd-daemon/efd-daemon.json</c> or <c>conf.d/*.json</c>).
/// </summary>
public sealed class SamplePlugin : IEfdPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        string label = configuration["Label"] ?? "Sample";
        services.AddSingleton(sp => new SampleHandler(label, sp.GetRequiredService<ILogger<SampleHandler>>()));
        services.AddEventHandler<SampleHandler>();
    }
}
