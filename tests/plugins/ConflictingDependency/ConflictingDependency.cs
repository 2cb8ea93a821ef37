using Efd.TestDependency;
using EfdDaemon;
using EfdDaemon.TestPlugins;

namespace ConflictingDependency;

public sealed class ConflictingDependencyEntry : ProbedPlugin<DependencyVersionHandler>;

public sealed class DependencyVersionHandler(IProgress<string>? probe = null) : IEventHandler
{
    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        probe?.Report($"DependencyVersionHandler {Marker.Version} {kernelEvent.Sequence}");
        return ValueTask.CompletedTask;
    }
}
