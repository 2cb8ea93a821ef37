using Efd.TestDependency;
using EfdDaemon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ConflictingDependency;

public sealed class ConflictingDependencyEntry : IEfdPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new DependencyVersionHandler(sp.GetService<IProgress<string>>()));
        services.AddEventHandler<DependencyVersionHandler>();
    }
}

public sealed class DependencyVersionHandler(IProgress<string>? probe) : IEventHandler
{
    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        probe?.Report($"DependencyVersionHandler {Marker.Version} {kernelEvent.Sequence}");
        return ValueTask.CompletedTask;
    }
}
