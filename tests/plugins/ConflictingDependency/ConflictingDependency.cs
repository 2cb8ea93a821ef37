using Efd.TestDependency;
using EfdDaemon;
using EfdDaemon.TestPlugins;
using Microsoft.Extensions.Configuration;

namespace ConflictingDependency;

public sealed class ConflictingDependencyEntry : ProbedPlugin<DependencyVersionHandler>
{
    protected override DependencyVersionHandler Create(IConfiguration configuration, IProgress<string>? probe) => new(probe);
}

public sealed class DependencyVersionHandler(IProgress<string>? probe) : IEventHandler
{
    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        probe?.Report($"DependencyVersionHandler {Marker.Version} {kernelEvent.Sequence}");
        return ValueTask.CompletedTask;
    }
}
