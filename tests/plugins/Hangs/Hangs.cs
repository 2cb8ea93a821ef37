using EfdDaemon;
using EfdDaemon.TestPlugins;

namespace Hangs;

public sealed class HangsEntry : ProbedPlugin<HangingHandler>;

public sealed class HangingHandler(IProgress<string>? probe = null) : IEventHandler
{
    private static readonly TaskCompletionSource Never = new();

    public IReadOnlyCollection<EventKind>? Kinds => [EventKind.Trigger];

    public async ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        probe?.Report($"HangingHandler {kernelEvent.Sequence}");

        // Ignores its token on purpose: the worst a plugin can do without crashing the process.
        await Never.Task;
    }
}
