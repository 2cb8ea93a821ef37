using EfdDaemon.Events;
using EfdDaemon.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EfdDaemon.Tests.Events;

/// <summary>
/// Contract 4 of DESIGN.md on the host: Lossless back-pressure, commits of what every handler
/// finished, quarantine and demotion. The reader and the consumers run on their real threads; time
/// that decides anything (timeouts, MaxStall, loss reports) is a <see cref="FakeTimeProvider"/> that
/// only the test moves, and a fake record device (a socket pair) stands in for /dev/efd_lkm.
/// </summary>
public sealed class DeliveryTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogCollector _logs = new();
    private readonly List<IDisposable> _owned = [];
    private readonly List<Exception> _readerFaults = [];

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        Assert.Empty(_readerFaults);
    }

    [Fact]
    public async Task LosslessUnderSaturationDropsNothingTheCounterHoldsTheBacklog()
    {
        var slow = Own(new SteppedHandler("Slow"));
        var (source, dispatcher) = Pipeline(EventfdMode.Semaphore, null, [slow], ("Slow", new HandlerOptions { QueueCapacity = 4 }));

        source.Signal(1000);
        await slow.WaitForCallAsync();
        await WaitUntil(() => source.IsHeldBack);

        // The queue was full and the reader stopped: 1 in the call, the rest queued, the backlog still in the eventfd.
        Assert.InRange(source.Counters.Received, 4, 5);
        Assert.Equal(source.Counters.Received - 1, dispatcher.Snapshot().Single().QueueLength);
        slow.Release(1000);
        await WaitUntil(() => slow.Seen.Count == 1000);

        Assert.Equal(1000, source.Counters.Received);
        Assert.Equal(0, dispatcher.Dropped);
        Assert.All(dispatcher.Snapshot(), h => Assert.Equal(HandlerState.Normal, h.State));
    }

    [Fact]
    public async Task CommitsFollowTheSlowestHandlerAndComeWithoutAClockOrANewEvent()
    {
        var device = Own(new FakeRecordDevice());
        var fast = new RecordingHandler("Fast");
        var slow = Own(new SteppedHandler("Slow"));
        Pipeline(EventfdMode.Counter, device, [fast, slow]);

        device.Write(Seq(1, 5));
        await fast.WaitForAsync(5);
        await slow.WaitForCallAsync();
        Assert.Equal([0UL], device.Commits); // the opt-in; event 1 is still in Slow's call

        slow.Release(3);
        Assert.Equal(3UL, device.WaitForCommit(3));
        slow.Release(2);
        Assert.Equal(5UL, device.WaitForCommit(5));

        // Neither a timer nor another record was needed: the fake clock never moved.
        Assert.Equal(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), _time.GetUtcNow());
    }

    [Fact]
    public async Task TheReaderResumesAfterBackPressureWithoutADoorbell()
    {
        var device = Own(new FakeRecordDevice());
        var slow = Own(new SteppedHandler("Slow"));
        var (source, dispatcher) = Pipeline(EventfdMode.Counter, device, [slow], ("Slow", new HandlerOptions { QueueCapacity = 2 }));

        // Twenty records at once and never an eventfd signal: the reader stops at the queue's room.
        device.Write(Seq(1, 20));
        await slow.WaitForCallAsync();
        await WaitUntil(() => source.IsHeldBack);
        Assert.InRange(source.Counters.Received, 2, 3);

        slow.Release(20);
        await WaitUntil(() => slow.Seen.Count == 20);
        Assert.Equal(Seq(1, 20), slow.Seen.Select(e => e.Sequence));
        Assert.Equal(20UL, device.WaitForCommit(20));
        Assert.Equal(0, dispatcher.Dropped);
    }

    [Fact]
    public async Task RedeliveredRecordsReachHandlersFlaggedAndAreReportedOnce()
    {
        var device = Own(new FakeRecordDevice(committed: 40));
        var recorder = new RecordingHandler();
        var (source, _) = Pipeline(EventfdMode.Counter, device, [recorder]);

        device.Write(Seq(41, 43), redelivered: true);
        device.Write(Seq(44, 44));
        await recorder.WaitForAsync(4);

        Assert.Equal([true, true, true, false], recorder.Events.Select(e => e.Redelivered));
        Assert.Equal(3, source.Counters.Redelivered);
        Assert.Equal(44UL, device.WaitForCommit(44));
        _time.Advance(BurstLog.Window);
        FakeLogRecord line = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 2008);
        Assert.Contains("3 records redelivered", line.Message, StringComparison.Ordinal);
        Assert.Contains("seq 41-43", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHandlerThatIgnoresCancellationIsQuarantinedAfterTwiceItsTimeoutAndStopsHoldingCommits()
    {
        var device = Own(new FakeRecordDevice());
        var hung = Own(new SteppedHandler("Hung", ignoreCancellation: true));
        var healthy = new RecordingHandler("Healthy");
        var (_, dispatcher) = Pipeline(EventfdMode.Counter, device, [hung, healthy], ("Hung", new HandlerOptions { Timeout = TimeSpan.FromSeconds(2) }));

        device.Write(Seq(1, 3));
        await hung.WaitForCallAsync();
        await healthy.WaitForAsync(3);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, dispatcher.Snapshot().Single(h => h.Name == "Hung").Timeouts);
        Assert.Equal(HandlerState.Normal, dispatcher.Snapshot().Single(h => h.Name == "Hung").State);
        Assert.Equal([0UL], device.Commits);

        _time.Advance(TimeSpan.FromSeconds(2));
        HandlerSnapshot quarantined = dispatcher.Snapshot().Single(h => h.Name == "Hung");
        Assert.Equal(HandlerState.Quarantined, quarantined.State);
        Assert.Equal(FullQueuePolicy.DropOldest, quarantined.EffectivePolicy);
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 5009 && r.Message.Contains("event 1", StringComparison.Ordinal));

        // Its events no longer wait for it: the commit passes the hung call, and new events flow.
        Assert.Equal(3UL, device.WaitForCommit(3));
        device.Write(Seq(4, 6));
        await healthy.WaitForAsync(6);
        Assert.Equal(6UL, device.WaitForCommit(6));
        hung.Release(10);
    }

    [Fact]
    public async Task ASlowLosslessHandlerIsDemotedAfterMaxStallAndTheOthersGoOn()
    {
        var device = Own(new FakeRecordDevice());
        var slow = Own(new SteppedHandler("Slow"));
        var healthy = new RecordingHandler("Healthy");
        var (source, dispatcher) = Pipeline(EventfdMode.Counter, device, [slow, healthy],
            ("Slow", new HandlerOptions { QueueCapacity = 2, MaxStall = TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromMinutes(1) }));

        device.Write(Seq(1, 50));
        await slow.WaitForCallAsync();
        await WaitUntil(() => source.IsHeldBack);
        Assert.InRange(source.Counters.Received, 2, 3); // held back with Slow: 1 in its call, the rest queued
        await healthy.WaitForAsync((int)source.Counters.Received);

        // Time passes only when the test says so; the reader's stall timer demotes Slow at MaxStall.
        await WaitUntil(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return dispatcher.Snapshot().Single(h => h.Name == "Slow").State == HandlerState.Demoted;
        });
        await healthy.WaitForAsync(50);

        FakeLogRecord demoted = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 5007);
        Assert.Contains("MaxStall 00:00:10", demoted.Message, StringComparison.Ordinal);
        Assert.True(_time.GetUtcNow() - new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero) >= TimeSpan.FromSeconds(10));
        HandlerSnapshot s = dispatcher.Snapshot().Single(h => h.Name == "Slow");
        Assert.Equal(1, s.Counters.Demotions);
        Assert.True(s.Counters.DemotionDrops > 0);
        Assert.Equal(0, s.Counters.PolicyDrops);
        Assert.Equal(50UL, device.WaitForCommit(50));

        // It catches up, and its queue below half makes it Lossless again.
        slow.Release(100);
        await WaitUntil(() => _logs.GetSnapshot().Any(r => r.Id.Id == 5008));
        Assert.Equal(HandlerState.Normal, dispatcher.Snapshot().Single(h => h.Name == "Slow").State);
    }

    [Theory]
    [InlineData("64", "33", false)]
    [InlineData("64", "32", true)]
    [InlineData(null, "4096", true)]
    [InlineData(null, "4097", false)]
    public void AQueueCapacityAboveHalfTheRingIsRefused(string? ringSize, string capacity, bool accepted)
    {
        var values = new Dictionary<string, string?> { ["Handlers:LogHandler:QueueCapacity"] = capacity };
        if (ringSize is not null)
        {
            values["Module:RingSize"] = ringSize;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        IReadOnlyDictionary<string, HandlerOptions>? settings = HandlerSettingsReader.Read(configuration, out IReadOnlyList<string> errors);

        Assert.Equal(accepted, settings is not null);
        if (!accepted)
        {
            string error = Assert.Single(errors);
            Assert.StartsWith($"Handlers:LogHandler:QueueCapacity: {capacity} is more than half of Module:RingSize", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheDefaultQueueIsNeverLongerThanHalfTheRing()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Module:RingSize"] = "256" }).Build();

        Assert.Equal(128, HandlerSettingsReader.QueueLimit(configuration));
        Assert.Equal(128, HandlerSettingsReader.Resolve(new RecordingHandler(), null, 128).QueueCapacity);
        Assert.Equal(HandlerSettings.DefaultQueueCapacity, HandlerSettingsReader.Resolve(new RecordingHandler(), null).QueueCapacity);
        Assert.Equal(FullQueuePolicy.Lossless, HandlerSettingsReader.Resolve(new RecordingHandler(), null).Policy);
    }

    private static ulong[] Seq(ulong first, ulong last) => [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => (ulong)i)];

    private async Task WaitUntil(Func<bool> condition, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(condition))] string what = "")
    {
        long deadline = Environment.TickCount64 + (long)TestTimeouts.Bound.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"'{what}' did not hold within {TestTimeouts.Bound}; log: {string.Join(" | ", _logs.GetSnapshot().Select(r => r.Message))}");
            }

            await Task.Delay(5);
        }
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private (EventfdSource Source, EventDispatcher Dispatcher) Pipeline(
        EventfdMode mode, FakeRecordDevice? device, IEventHandler[] handlers, params (string Name, HandlerOptions Options)[] settings)
    {
        var logger = new FakeLogger(_logs);
        var dispatcher = new EventDispatcher(handlers, _time, logger, settings.ToDictionary(s => s.Name, s => s.Options));
        var source = new EventfdSource(mode, _time, logger);
        if (device is not null)
        {
            source.UseRecordDevice(device.Device);
        }

        // Disposed in reverse: the reader stops before the queues, the queues before the device.
        _owned.Add(dispatcher);
        _owned.Add(new Stopper(source, dispatcher));
        dispatcher.Start();
        source.Start(dispatcher, ex => { lock (_readerFaults) { _readerFaults.Add(ex); } });
        return (source, dispatcher);
    }

    private sealed class Stopper(EventfdSource source, EventDispatcher dispatcher) : IDisposable
    {
        public void Dispose()
        {
            source.Stop();
            dispatcher.Drain(TimeSpan.FromSeconds(1), TimeProvider.System);
            source.Dispose();
        }
    }
}
