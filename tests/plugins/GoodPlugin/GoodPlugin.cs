using EfdDaemon;
using EfdDaemon.TestPlugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GoodPlugin;

public sealed class GoodPluginEntry : ProbedPlugin<GoodHandler>
{
    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        string greeting = configuration["Greeting"] ?? "(none)";
        services.AddSingleton(sp => new GoodHandler(greeting, sp.GetService<IProgress<string>>()));
        base.ConfigureServices(services, configuration);
    }
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
