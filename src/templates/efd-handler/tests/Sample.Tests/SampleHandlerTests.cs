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
    public async Task ANetdevUpIsReadThroughTheTypedPayload()
    {
        var handler = new SampleHandler("test", NullLogger<SampleHandler>.Instance);
        byte[] payload = new byte[28]; // NETDEV: char ifname[16]; __u32 ifindex; __u32 event; __u32 flags;
        "eth0"u8.CopyTo(payload);
        BitConverter.TryWriteBytes(payload.AsSpan(16), 2u);
        BitConverter.TryWriteBytes(payload.AsSpan(20), (uint)NetdevEvent.Up);
        var up = new KernelEvent(2, EventKind.Netdev, 1, 0, DateTimeOffset.UtcNow, payload);

        Assert.True(up.TryGetNetdev(out NetdevPayload netdev));
        Assert.True(netdev.InterfaceName.Equals("eth0"));
        Assert.True(up.TryGetField("ifindex", out FieldValue index));
        Assert.Equal("2", index.ToString());

        await handler.HandleAsync(up, CancellationToken.None);
        BitConverter.TryWriteBytes(payload.AsSpan(20), (uint)NetdevEvent.Down);
        await handler.HandleAsync(up, CancellationToken.None);

        Assert.Equal((2, 1), (handler.Handled, handler.InterfacesUp));
    }

    [Fact]
    public void ThePluginRegistersTheHandlerForTriggerSignalAndNetdevEvents()
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));

        new SamplePlugin().ConfigureServices(services, new ConfigurationBuilder().Build());

        using ServiceProvider provider = services.BuildServiceProvider();
        IEventHandler handler = Assert.Single(provider.GetServices<IEventHandler>());
        Assert.Equal("SampleHandler", handler.Name);
        Assert.Equal([EventKind.Trigger, EventKind.Signal, EventKind.Netdev], handler.Kinds);
    }
}
