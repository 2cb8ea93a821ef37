using EfdDaemon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ThrowsPerEvent;

public sealed class ThrowsPerEventEntry : IEfdPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new ThrowingHandler(sp.GetService<IProgress<string>>()));
        services.AddEventHandler<ThrowingHandler>();
    }
}

public sealed class ThrowingHandler(IProgress<string>? probe) : IEventHandler
{
    public IReadOnlyCollection<EventKind>? Kinds => [EventKind.Trigger];

    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        probe?.Report($"ThrowingHandler {kernelEvent.Sequence}");
        throw new InvalidOperationException($"ThrowingHandler fails on event {kernelEvent.Sequence}");
    }
}
