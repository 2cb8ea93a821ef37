using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Abstractions.Tests;

public sealed class RegistrationTests
{
    private sealed class NoopHandler : IEventHandler
    {
        public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class PickyHandler : IEventHandler
    {
        public string Name => "picky";

        public IReadOnlyCollection<EventKind>? Kinds => [EventKind.Netdev];

        public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [Fact]
    public void AddEventHandlerRegistersOneSingletonVisibleBothWays()
    {
        var services = new ServiceCollection();
        services.AddEventHandler<NoopHandler>().AddEventHandler<NoopHandler>().AddEventHandler<PickyHandler>();
        using ServiceProvider sp = services.BuildServiceProvider();

        IEventHandler[] handlers = sp.GetServices<IEventHandler>().ToArray();

        Assert.Equal(2, handlers.Length);
        Assert.Same(sp.GetRequiredService<NoopHandler>(), handlers.OfType<NoopHandler>().Single());
    }

    [Fact]
    public void DefaultNameIsTheTypeNameAndDefaultKindsIsEverything()
    {
        IEventHandler noop = new NoopHandler();
        IEventHandler picky = new PickyHandler();

        Assert.Equal(nameof(NoopHandler), noop.Name);
        Assert.Null(noop.Kinds);
        Assert.Equal("picky", picky.Name);
        Assert.Equal([EventKind.Netdev], picky.Kinds!);
    }

    [Fact]
    public void ApiVersionIsTheAssemblyVersionWithMajorTwo()
    {
        Assert.Equal(2, EfdApi.Version.Major);
        Assert.Equal(typeof(EfdApi).Assembly.GetName().Version, EfdApi.Version);
    }
}
