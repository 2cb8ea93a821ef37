using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Bench;

/// <summary>Registers the benchmark's <see cref="PongHandler"/> over the state in <c>Plugins:BenchPlugin:StateDirectory</c>.</summary>
public sealed class BenchPlugin : IEfdPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string directory = configuration["StateDirectory"] ?? "/dev/shm/efd-bench-plugin";
        services.AddSingleton(_ => BenchState.Create(directory));
        services.AddSingleton(sp => new PongHandler(sp.GetRequiredService<BenchState>()));
        services.AddEventHandler<PongHandler>();
    }
}
