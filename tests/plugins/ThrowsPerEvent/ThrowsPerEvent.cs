using EfdDaemon;
using EfdDaemon.TestPlugins;

namespace ThrowsPerEvent;

public sealed class ThrowsPerEventEntry : ProbedPlugin<ThrowingHandler>;

public sealed class ThrowingHandler(IProgress<string>? probe = null) : IEventHandler
{
    public IReadOnlyCollection<EventKind>? Kinds => [EventKind.Trigger];

    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        probe?.Report($"ThrowingHandler {kernelEvent.Sequence}");
        throw new InvalidOperationException($"ThrowingHandler fails on event {kernelEvent.Sequence}");
    }
}
