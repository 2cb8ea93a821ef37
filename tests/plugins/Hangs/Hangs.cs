using EfdDaemon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hangs;

public sealed class HangsEntry : IEfdPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new HangingHandler(sp.GetService<IProgress<string>>()));
        services.AddEventHandler<HangingHandler>();
    }
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
