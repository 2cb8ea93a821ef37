using EfdDaemon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ThrowsOnLoad;

public sealed class ThrowsOnLoadEntry : IEfdPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        // Registers first, then fails: the daemon must not keep this half-done registration.
        services.AddEventHandler<LeakedHandler>();
        throw new InvalidOperationException("ThrowsOnLoad refuses to start");
    }
}

public sealed class LeakedHandler : IEventHandler
{
    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
