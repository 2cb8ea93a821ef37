using EfdDaemon;
using EfdDaemon.TestPlugins;
using Microsoft.Extensions.Configuration;

namespace Hangs;

public sealed class HangsEntry : ProbedPlugin<HangingHandler>
{
    protected override HangingHandler Create(IConfiguration configuration, IProgress<string>? probe) => new(probe);
}

public sealed class HangingHandler(IProgress<string>? probe) : IEventHandler
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
