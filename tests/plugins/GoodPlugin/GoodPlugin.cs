using EfdDaemon;
using EfdDaemon.TestPlugins;
using Microsoft.Extensions.Configuration;

namespace GoodPlugin;

public sealed class GoodPluginEntry : ProbedPlugin<GoodHandler>
{
    protected override GoodHandler Create(IConfiguration configuration, IProgress<string>? probe) => new(configuration["Greeting"] ?? "(none)", probe);
}

public sealed class GoodHandler(string greeting, IProgress<string>? probe) : IEventHandler
{
    public IReadOnlyCollection<EventKind>? Kinds => [EventKind.Trigger];

    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        probe?.Report($"GoodHandler {greeting} {EventKindNames.GetName(kernelEvent.Kind)} {kernelEvent.Sequence}");
        return ValueTask.CompletedTask;
    }
}
