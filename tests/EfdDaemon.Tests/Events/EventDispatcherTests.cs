using EfdDaemon.Events;
using EfdDaemon.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EfdDaemon.Tests.Events;

public sealed class EventDispatcherTests
{
    private static EventRecord Record(ulong seq, EventKind kind = EventKind.Trigger) => new()
    {
        Sequence = seq,
        Kind = kind,
        Count = 1,
        ReceivedAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>Publishes one event as one reader batch (the reader ends each wake-up's batch the same way).</summary>
    private static void PublishOne(EventDispatcher dispatcher, EventRecord record)
    {
        dispatcher.Publish(in record);
        dispatcher.EndOfBatch();
    }

    private static Dictionary<string, HandlerOptions> Settings(string name, HandlerOptions options) =>
        new(StringComparer.OrdinalIgnoreCase) { [name] = options };

    [Fact]
    public async Task EachHandlerReceivesEventsInSequenceOrder()
    {
        var a = new RecordingHandler("A");
        var b = new RecordingHandler("B");
        using var dispatcher = new EventDispatcher([a, b], TimeProvider.System, NullLogger.Instance);
        dispatcher.Start();
        for (ulong i = 1; i <= 500; i++)
        {
            PublishOne(dispatcher, Record(i));
        }

        await a.WaitForAsync(500);
        await b.WaitForAsync(500);
        dispatcher.Drain(TimeSpan.FromSeconds(5), TimeProvider.System);

        Assert.Equal(Enumerable.Range(1, 500).Select(i => (ulong)i), a.Events.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (ulong)i), b.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task AThrowingHandlerIsLoggedCountedAndKeptWhileAHealthyOneCarriesOn()
    {
        var thrower = new ThrowingHandler();
        var healthy = new RecordingHandler();
        var logs = new FakeLogCollector();
        using var dispatcher = new EventDispatcher([thrower, healthy], TimeProvider.System, new FakeLogger(logs));
        dispatcher.Start();
        PublishOne(dispatcher, Record(1));
        PublishOne(dispatcher, Record(2));

        await healthy.WaitForAsync(2);
        dispatcher.Drain(TimeSpan.FromSeconds(5), TimeProvider.System);

        Assert.Equal(2, thrower.Calls);
        Assert.Equal(2, dispatcher.Snapshot().Single(h => h.Name == "Thrower").Failures);
        FakeLogRecord failure = logs.GetSnapshot().First(r => r.Id.Id == 5001);
        Assert.Contains("Thrower", failure.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(failure.Exception);
    }

    [Fact]
    public async Task AHangingHandlerIsCancelledAtItsTimeoutAndDoesNotHoldBackAHealthyOne()
    {
        var hanger = new HangingHandler();
        var healthy = new RecordingHandler();
        var time = new FakeTimeProvider();
        var settings = Settings("Hanger", new HandlerOptions { Timeout = TimeSpan.FromSeconds(2) });
        using var dispatcher = new EventDispatcher([hanger, healthy], time, NullLogger.Instance, settings);
        dispatcher.Start();
        PublishOne(dispatcher, Record(1));
        PublishOne(dispatcher, Record(2));
        PublishOne(dispatcher, Record(3));

        await healthy.WaitForAsync(3);
        await hanger.FirstCall.WaitAsync(TestTimeouts.Bound);
        Assert.False(hanger.FirstCancelled.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(2));
        await hanger.FirstCancelled.WaitAsync(TestTimeouts.Bound);

        // Events 2 and 3 hang too (fake time stands still): the drain gives up on them.
        Assert.True(dispatcher.Drain(TimeSpan.FromMilliseconds(200), TimeProvider.System) >= 1);

        HandlerSnapshot h = dispatcher.Snapshot().Single(s => s.Name == "Hanger");
        Assert.True(h.Timeouts >= 1, $"timeouts {h.Timeouts}");
        Assert.Equal(0, h.Failures);
    }

    [Theory]
    [InlineData("DropNewest", new ulong[] { 1, 2, 3, 4 })]
    [InlineData("DropOldest", new ulong[] { 1, 8, 9, 10 })]
    public async Task AFullQueueDropsByItsPolicyAndCountsEveryDrop(string policyName, ulong[] expected)
    {
        FullQueuePolicy policy = Enum.Parse<FullQueuePolicy>(policyName);
        // The gated handler holds event 1 while 2..10 arrive at a queue of three.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = new GatedRecorder(gate.Task);
        var settings = Settings(blocked.Name, new HandlerOptions { QueueCapacity = 3, FullQueuePolicy = policy });
        var logs = new FakeLogCollector();
        var time = new FakeTimeProvider();
        using var dispatcher = new EventDispatcher([blocked], time, new FakeLogger(logs), settings);
        dispatcher.Start();
        PublishOne(dispatcher, Record(1));
        await blocked.FirstCallStarted.WaitAsync(TestTimeouts.Bound);
        for (ulong i = 2; i <= 10; i++)
        {
            PublishOne(dispatcher, Record(i));
        }

        gate.SetResult();
        dispatcher.Drain(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.Equal(expected, blocked.Sequences);
        Assert.Equal(6, dispatcher.Snapshot().Single().Dropped);
        Assert.Equal(6, dispatcher.Dropped);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id == 5003);

        // One warning for the burst, a second after it began, with its range.
        time.Advance(BurstLog.Window);
        FakeLogRecord warning = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 5003);
        Assert.Contains(policy == FullQueuePolicy.DropNewest ? "lost 6 events from its full queue (Policy; seq 5-10;" : "lost 6 events from its full queue (Policy; seq 2-7;", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheKindsAHandlerDeclaresAreQueued()
    {
        var netdev = new RecordingHandler("Netdev", [EventKind.Netdev]);
        var all = new RecordingHandler("All");
        using var dispatcher = new EventDispatcher([netdev, all], TimeProvider.System, NullLogger.Instance);
        dispatcher.Start();
        PublishOne(dispatcher, Record(1, EventKind.Trigger));
        PublishOne(dispatcher, Record(2, EventKind.Netdev));
        PublishOne(dispatcher, Record(3, EventKind.Tick));

        await all.WaitForAsync(3);
        dispatcher.Drain(TimeSpan.FromSeconds(5), TimeProvider.System);

        Assert.Equal([2UL], netdev.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ConfiguredKindsReplaceTheDeclaredOnesAndApplyOnReload()
    {
        var handler = new RecordingHandler("H", [EventKind.Netdev]);
        var settings = Settings("H", new HandlerOptions { Kinds = ["TRIGGER"] });
        using var dispatcher = new EventDispatcher([handler], TimeProvider.System, NullLogger.Instance, settings);
        dispatcher.Start();
        PublishOne(dispatcher, Record(1, EventKind.Netdev));
        PublishOne(dispatcher, Record(2, EventKind.Trigger));
        await handler.WaitForAsync(1);

        dispatcher.Apply(Settings("H", new HandlerOptions { Kinds = ["0x1000"] }));
        PublishOne(dispatcher, Record(3, EventKind.Trigger));
        PublishOne(dispatcher, Record(4, (EventKind)0x1000));
        await handler.WaitForAsync(2);
        dispatcher.Drain(TimeSpan.FromSeconds(5), TimeProvider.System);

        Assert.Equal([2UL, 4UL], handler.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task PayloadBytesReachTheHandlerIntact()
    {
        var handler = new RecordingHandler();
        using var dispatcher = new EventDispatcher([handler], TimeProvider.System, NullLogger.Instance);
        dispatcher.Start();
        EventRecord r = Record(1, (EventKind)0x1234);
        r.PayloadLength = 3;
        r.Payload[0] = 0xAA;
        r.Payload[1] = 0xBB;
        r.Payload[2] = 0xCC;
        PublishOne(dispatcher, r);

        await handler.WaitForAsync(1);
        dispatcher.Drain(TimeSpan.FromSeconds(5), TimeProvider.System);

        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, handler.Payloads.Single());
    }
}

/// <summary>Records sequences; every call waits for the gate.</summary>
internal sealed class GatedRecorder(Task gate) : IEventHandler
{
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ulong> _seqs = [];

    public string Name => "Gated";

    public Task FirstCallStarted => _first.Task;

    public IReadOnlyList<ulong> Sequences
    {
        get
        {
            lock (_seqs)
            {
                return [.. _seqs];
            }
        }
    }

    public async ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        lock (_seqs)
        {
            _seqs.Add(kernelEvent.Sequence);
        }

        _first.TrySetResult();
        await gate.ConfigureAwait(false);
    }
}
