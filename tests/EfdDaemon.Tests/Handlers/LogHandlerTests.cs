using EfdDaemon.Handlers;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EfdDaemon.Tests.Handlers;

public sealed class LogHandlerTests
{
    private static readonly DateTimeOffset SecondStart = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task BelowTheThresholdEveryEventIsOneLineWithItsFields()
    {
        var (handler, logs, _) = Create(threshold: 5);

        await handler.HandleAsync(Event(EventKind.Trigger, 3, [1, 0, 0, 0, 2, 0, 0, 0]), default);

        FakeLogRecord line = Assert.Single(logs.GetSnapshot());
        Assert.Equal(5500, line.Id.Id);
        Assert.Equal("TRIGGER event 3 (count 1): index=1 batch=2", line.Message);
        Assert.Contains(line.StructuredState!, p => p.Key == "Kind" && p.Value == "TRIGGER");
        Assert.Contains(line.StructuredState!, p => p.Key == "Sequence" && p.Value == "3");
    }

    [Fact]
    public async Task AboveTheThresholdTheRestOfTheSecondBecomesOneSummaryLinePerKind()
    {
        var (handler, logs, time) = Create(threshold: 3);
        for (ulong i = 1; i <= 10; i++)
        {
            await handler.HandleAsync(Event(EventKind.Trigger, i), default);
        }

        await handler.HandleAsync(Event(EventKind.Netdev, 11), default);
        await handler.HandleAsync(Event(EventKind.Netdev, 12), default);
        Assert.Equal(3, logs.Count);

        time.Advance(TimeSpan.FromSeconds(1));

        var summaries = logs.GetSnapshot().Where(r => r.Id.Id == 5501).ToList();
        Assert.Equal(2, summaries.Count);
        Assert.StartsWith("7 more TRIGGER events in the second from", summaries[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("2 more NETDEV events in the second from", summaries[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewSecondLogsEventsOneByOneAgain()
    {
        var (handler, logs, time) = Create(threshold: 1);
        await handler.HandleAsync(Event(EventKind.Tick, 1), default);
        await handler.HandleAsync(Event(EventKind.Tick, 2), default);
        time.Advance(TimeSpan.FromSeconds(1));
        await handler.HandleAsync(Event(EventKind.Tick, 3), default);

        Assert.Equal([5500, 5501, 5500], logs.GetSnapshot().Select(r => r.Id.Id));
    }

    private static (LogHandler Handler, FakeLogCollector Logs, FakeTimeProvider Time) Create(int threshold)
    {
        var time = new FakeTimeProvider(SecondStart);
        var logs = new FakeLogCollector();
        var handler = new LogHandler(new FakeLogger<LogHandler>(logs),
            Microsoft.Extensions.Options.Options.Create(new LogHandlerOptions { SummaryThresholdPerSecond = threshold }), time);
        return (handler, logs, time);
    }

    private static KernelEvent Event(EventKind kind, ulong seq, byte[]? payload = null) =>
        new(seq, kind, 1, 0, SecondStart, payload ?? new byte[kind == EventKind.Netdev ? 28 : 8]);
}
