using EfdDaemon;
using EfdDaemon.TestPlugins;
using Microsoft.Extensions.Configuration;

namespace ThrowsPerEvent;

public sealed class ThrowsPerEventEntry : ProbedPlugin<ThrowingHandler>
{
    protected override ThrowingHandler Create(IConfiguration configuration, IProgress<string>? probe) => new(probe);
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
