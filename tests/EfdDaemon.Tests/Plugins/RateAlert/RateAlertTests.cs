using EfdDaemon.Plugins.RateAlert;
using EfdDaemon.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EfdDaemon.Tests.Plugins.RateAlert;

public sealed class RateAlertTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingLoggerProvider _logs = new();

    [Fact]
    public async Task ARateAboveTheThresholdWithinTheWindowLogsOneWarning()
    {
        RateAlertHandler handler = Create(threshold: 3, window: TimeSpan.FromSeconds(10));

        for (int i = 0; i < 6; i++)
        {
            await handler.HandleAsync(TestEvents.Trigger((ulong)i), CancellationToken.None);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        LogEntry warning = Assert.Single(_logs.Entries);
        Assert.Equal((LogLevel.Warning, "TRIGGER", "4", "3"), (warning.Level, warning.Property("Kind"), warning.Property("Count"), warning.Property("Threshold")));
        Assert.Equal(6, handler.CountInWindow(EventKind.Trigger));
    }

    [Fact]
    public async Task EventsOlderThanTheWindowNoLongerCountAndTheAlertClears()
    {
        RateAlertHandler handler = Create(threshold: 2, window: TimeSpan.FromSeconds(10));
        for (int i = 0; i < 3; i++)
        {
            await handler.HandleAsync(TestEvents.Trigger(), CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(0, handler.CountInWindow(EventKind.Trigger));
        await handler.HandleAsync(TestEvents.Trigger(), CancellationToken.None);

        Assert.Equal([LogLevel.Warning, LogLevel.Information], _logs.Entries.Select(e => e.Level));
        Assert.Equal(1, handler.CountInWindow(EventKind.Trigger));
    }

    [Fact]
    public async Task KindsAreCountedSeparately()
    {
        RateAlertHandler handler = Create(threshold: 2, window: TimeSpan.FromSeconds(10));

        await handler.HandleAsync(TestEvents.Trigger(), CancellationToken.None);
        await handler.HandleAsync(TestEvents.Trigger(), CancellationToken.None);
        await handler.HandleAsync(TestEvents.Netdev("eth0"), CancellationToken.None);
        await handler.HandleAsync(TestEvents.Netdev("eth0"), CancellationToken.None);

        Assert.Empty(_logs.Entries);
        Assert.Equal((2, 2), (handler.CountInWindow(EventKind.Trigger), handler.CountInWindow(EventKind.Netdev)));
    }

    [Fact]
    public void ThePluginReadsItsSectionAndRegistersItsHandler()
    {
        IConfiguration section = Section(("Window", "00:01:00"), ("Threshold", "50"), ("Kinds:0", "NETDEV"), ("Kinds:1", "USER_0x1234"));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<ILoggerFactory>(new LoggerFactory([_logs]));
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));

        new RateAlertPlugin().ConfigureServices(services, section);

        using ServiceProvider provider = services.BuildServiceProvider();
        IEventHandler handler = Assert.Single(provider.GetServices<IEventHandler>());
        Assert.Equal("RateAlert", handler.Name);
        Assert.Equal([EventKind.Netdev, (EventKind)0x1234], handler.Kinds);
    }

    [Theory]
    [InlineData("Threshold", "0", "Plugins:RateAlert:Threshold must be at least 1, not 0.")]
    [InlineData("Window", "-00:00:01", "Plugins:RateAlert:Window must be positive, not -00:00:01.")]
    [InlineData("Kinds:0", "BOGUS", "Plugins:RateAlert:Kinds: 'BOGUS' is not an event kind.")]
    public void ABadSettingFailsRegistrationNamingTheKey(string key, string value, string message)
    {
        var ex = Assert.Throws<FormatException>(() => RateAlertOptions.Read(Section((key, value))));
        Assert.Equal(message, ex.Message);
    }

    public void Dispose() => _logs.Dispose();

    private RateAlertHandler Create(int threshold, TimeSpan window) =>
        new(new RateAlertOptions { Threshold = threshold, Window = window }, _logs.CreateLogger<RateAlertHandler>(), _time);

    private static IConfiguration Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
