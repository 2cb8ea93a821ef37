using EfdDaemon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sample.Tests;

public sealed class SampleHandlerTests
{
    [Fact]
    public async Task HandlingATriggerEventCountsIt()
    {
        var handler = new SampleHandler("test", NullLogger<SampleHandler>.Instance);
        byte[] payload = new byte[8]; // TRIGGER: __u32 index; __u32 batch;

        await handler.HandleAsync(new KernelEvent(1, EventKind.Trigger, 1, 0, DateTimeOffset.UtcNow, payload), CancellationToken.None);

        Assert.Equal(1, handler.Handled);
    }

    [Fact]
    public void ThePluginRegistersTheHandlerForTriggerAndSignalEvents()
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));

        new SamplePlugin().ConfigureServices(services, new ConfigurationBuilder().Build());

        using ServiceProvider provider = services.BuildServiceProvider();
        IEventHandler handler = Assert.Single(provider.GetServices<IEventHandler>());
        Assert.Equal("SampleHandler", handler.Name);
        Assert.Equal([EventKind.Trigger, EventKind.Signal], handler.Kinds);
    }
}
