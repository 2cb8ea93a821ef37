using EfdDaemon.Events;
using EfdDaemon.Tests.Support;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EfdDaemon.Tests.Events;

/// <summary>
/// The fast path of contract 4: an <see cref="IInlineEventHandler"/> runs on the thread that
/// publishes (the reader's), timed on a <see cref="FakeTimeProvider"/> that the handler itself moves
/// to play a slow call; the runtime's counters and the reader's involuntary switches are the test's
/// too, so every verdict is deterministic. The test thread plays the reader.
/// </summary>
public sealed class FastPathTests : IDisposable
{
    private static readonly TimeSpan Budget = HandlerSettings.DefaultInlineBudget;

    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogCollector _logs = new();
    private readonly List<IDisposable> _owned = [];
    private RuntimeMark _runtime = new(0, 0, 0);
    private long _switches;
    private long _cpuNanoseconds;
    private long _voluntarySwitches;

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }

    [Fact]
    public void AnInlineHandlerRunsOnTheReaderThreadAndFinishesEachEventAsItReturns()
    {
        var handler = new InlineRecorder("Fast");
        EventDispatcher dispatcher = Dispatcher(handler);

        for (ulong seq = 1; seq <= 100; seq++)
        {
            Publish(dispatcher, seq);
            Assert.Equal(seq, handler.Calls[^1].Sequence); // handled before Publish returned
            Assert.Equal(HandlerQueue.NothingUnfinished, dispatcher.OldestUnfinished);
        }

        Assert.All(handler.Calls, c => Assert.Equal(Environment.CurrentManagedThreadId, c.ThreadId));
        HandlerSnapshot snapshot = dispatcher.Snapshot().Single();
        Assert.True(snapshot.Inline);
        Assert.Equal(100, snapshot.Counters.Handled);
        Assert.Equal(0, snapshot.Counters.InlineDemotions);
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 5000 && r.Message.Contains("reader thread (fast path)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALongOverrunMovesTheHandlerToItsOwnQueueForGoodKeepingTheOrder()
    {
        int reader = Environment.CurrentManagedThreadId; // the test thread plays the reader; awaits below resume elsewhere
        var handler = new InlineRecorder("Slow") { During = seq => seq >= 5 ? TimeSpan.FromMilliseconds(2) : TimeSpan.Zero };
        handler.Advance = d =>
        {
            _time.Advance(d);
            _cpuNanoseconds += (long)d.TotalNanoseconds; // spinning: the thread's CPU clock runs too
        };
        EventDispatcher dispatcher = Dispatcher(handler);

        // Event 5 overruns long; event 6, timed on the thread's CPU clock, does again.
        PublishRange(dispatcher, 1, 6);

        HandlerSnapshot afterOverrun = dispatcher.Snapshot().Single();
        Assert.False(afterOverrun.Inline);
        Assert.Equal(1, afterOverrun.Counters.InlineDemotions);
        FakeLogRecord left = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 5010);
        Assert.Contains("event 6", left.Message, StringComparison.Ordinal);
        Assert.Contains("CPU clock", left.Message, StringComparison.Ordinal);

        PublishRange(dispatcher, 7, 200);

        await handler.WaitForAsync(200);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), handler.Calls.Select(c => c.Sequence));
        Assert.All(handler.Calls.Take(6), c => Assert.Equal(reader, c.ThreadId));
        Assert.All(handler.Calls.Skip(6), c => Assert.NotEqual(reader, c.ThreadId));
        Assert.Equal(0, dispatcher.Dropped);
        Assert.False(dispatcher.Snapshot().Single().Inline);
    }

    [Fact]
    public void ALongStallThatTheNextCallDoesNotRepeatIsTheMachines()
    {
        // 2 ms on the wall clock and none on the thread's: the hypervisor took the vCPU.
        var handler = new InlineRecorder("Stolen") { During = seq => seq == 5 ? TimeSpan.FromMilliseconds(2) : TimeSpan.Zero };
        handler.Advance = d => _time.Advance(d);
        EventDispatcher dispatcher = Dispatcher(handler);

        PublishRange(dispatcher, 1, 100);

        Assert.True(dispatcher.Snapshot().Single().Inline);
        Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 5012 && r.Message.Contains("the call after a long overrun", StringComparison.Ordinal));
    }

    [Fact]
    public void AHandlerThatWaitsLeavesAtTheCallAfterItsFirstLongOverrun()
    {
        var handler = new InlineRecorder("Sleeper") { During = seq => seq >= 5 ? TimeSpan.FromMilliseconds(3) : TimeSpan.Zero };
        handler.Advance = d =>
        {
            _time.Advance(d);
            _voluntarySwitches++; // asleep: off the CPU by its own choice
        };
        EventDispatcher dispatcher = Dispatcher(handler);

        PublishRange(dispatcher, 1, 6);

        Assert.False(dispatcher.Snapshot().Single().Inline);
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 5010 && r.Message.Contains("waiting", StringComparison.Ordinal));
    }

    [Fact]
    public void OverrunsWhileAnotherTaskHadTheReadersCpuAreNotHeldAgainstTheHandler()
    {
        var handler = new InlineRecorder("Preempted");
        handler.Advance = d =>
        {
            _time.Advance(d);
            _switches++; // the scheduler ran something else meanwhile
        };
        handler.During = seq => seq % 10 == 0 ? TimeSpan.FromMilliseconds(5) : seq % 2 == 0 ? Budget * 2 : TimeSpan.Zero;
        EventDispatcher dispatcher = Dispatcher(handler);

        // Long and short overruns, half the calls: none counted, since the reader lost its CPU in each.
        PublishRange(dispatcher, 1, 100);

        Assert.True(dispatcher.Snapshot().Single().Inline);
        Assert.Equal(50, _logs.GetSnapshot().Count(r => r.Id.Id == 5012 && r.Message.Contains("another task", StringComparison.Ordinal)));
    }

    [Fact]
    public void OverrunsDuringACollectionOrCompilationAndOnTheFirstCallAreExcused()
    {
        var handler = new InlineRecorder("Jitted");
        handler.Advance = d =>
        {
            _time.Advance(d);
            _runtime = _runtime with { CompiledHere = _runtime.CompiledHere + 1, CompiledAnywhere = _runtime.CompiledAnywhere + 1 };
        };
        handler.During = _ => TimeSpan.FromMilliseconds(3); // every call, and long
        EventDispatcher dispatcher = Dispatcher(handler);

        PublishRange(dispatcher, 1, 50);

        Assert.True(dispatcher.Snapshot().Single().Inline);
        Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 5012 && r.Message.Contains("first call", StringComparison.Ordinal));
        Assert.Equal(49, _logs.GetSnapshot().Count(r => r.Id.Id == 5012 && r.Message.Contains("collected or compiled", StringComparison.Ordinal)));
    }

    [Fact]
    public void CompilingOnAnotherThreadExcusesShortOverrunsButNotALongOne()
    {
        bool spinning = false;
        var handler = new InlineRecorder("Tiering");
        handler.Advance = d =>
        {
            _time.Advance(d);
            _runtime = _runtime with { CompiledAnywhere = _runtime.CompiledAnywhere + 1 }; // the JIT tiering up elsewhere
            if (spinning)
            {
                _cpuNanoseconds += (long)d.TotalNanoseconds;
            }
        };
        handler.During = seq => seq >= 50 ? TimeSpan.FromMilliseconds(2) : seq > 1 ? Budget * 3 : TimeSpan.Zero;
        EventDispatcher dispatcher = Dispatcher(handler);

        PublishRange(dispatcher, 1, 49);

        Assert.True(dispatcher.Snapshot().Single().Inline); // 48 short overruns, each excused
        Publish(dispatcher, 50);
        Assert.True(dispatcher.Snapshot().Single().Inline); // counted: the next call is a test
        spinning = true; // and that call spins too
        Publish(dispatcher, 51);
        Assert.False(dispatcher.Snapshot().Single().Inline);
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 5010 && r.Message.Contains("event 51", StringComparison.Ordinal));
    }

    [Fact]
    public void ScatteredShortOverrunsAreToleratedAndAHandlerSlowOnEveryCallLeavesWithinEightCalls()
    {
        TimeSpan shortOverrun = Budget * 2;
        ulong slowFrom = 3001;
        var handler = new InlineRecorder("Scattered")
        {
            During = seq => seq >= slowFrom || seq % 300 == 0 ? shortOverrun : TimeSpan.Zero,
        };
        handler.Advance = d => _time.Advance(d);
        EventDispatcher dispatcher = Dispatcher(handler);

        // One short overrun every 300 calls: the machine's hiccups, never eight within a thousand calls.
        PublishRange(dispatcher, 1, slowFrom - 1);

        Assert.True(dispatcher.Snapshot().Single().Inline);
        Assert.Equal(10, _logs.GetSnapshot().Count(r => r.Id.Id == 5013));

        // Now every call overruns: it leaves the reader within OverrunLimit calls.
        ulong seq2 = slowFrom;
        while (dispatcher.Snapshot().Single().Inline)
        {
            Assert.True(seq2 < slowFrom + HandlerQueue.OverrunLimit, "still on the reader thread after eight slow calls");
            Publish(dispatcher, seq2++);
        }

        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 5010 && r.Message.Contains($"{HandlerQueue.OverrunLimit} overruns within {HandlerQueue.OverrunWindow} calls", StringComparison.Ordinal));
    }

    [Fact]
    public void AThrowingInlineHandlerIsCountedAndKeepsItsPlace()
    {
        var handler = new InlineRecorder("Thrower") { ThrowOn = 3 };
        EventDispatcher dispatcher = Dispatcher(handler);

        PublishRange(dispatcher, 1, 5);

        HandlerSnapshot snapshot = dispatcher.Snapshot().Single();
        Assert.True(snapshot.Inline);
        Assert.Equal(1, snapshot.Counters.Failures);
        Assert.Equal(5, snapshot.Counters.Handled);
        Assert.Equal([1UL, 2, 3, 4, 5], handler.Calls.Select(c => c.Sequence));
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 5001);
    }

    [Fact]
    public async Task AZeroBudgetKeepsTheHandlerOnItsQueueAndAReloadToZeroMovesIt()
    {
        int reader = Environment.CurrentManagedThreadId; // the test thread plays the reader; awaits below resume elsewhere
        var queued = new InlineRecorder("Queued");
        var moved = new InlineRecorder("Moved");
        EventDispatcher dispatcher = Dispatcher([queued, moved], ("Queued", new HandlerOptions { InlineBudget = TimeSpan.Zero }));
        Assert.False(dispatcher.Snapshot().Single(h => h.Name == "Queued").Inline);
        Assert.True(dispatcher.Snapshot().Single(h => h.Name == "Moved").Inline);

        Publish(dispatcher, 1);
        dispatcher.Apply(new Dictionary<string, HandlerOptions>(StringComparer.OrdinalIgnoreCase)
        {
            ["Queued"] = new() { InlineBudget = TimeSpan.Zero },
            ["Moved"] = new() { InlineBudget = TimeSpan.Zero },
        });
        Publish(dispatcher, 2);

        await queued.WaitForAsync(2);
        await moved.WaitForAsync(2);
        Assert.All(queued.Calls, c => Assert.NotEqual(reader, c.ThreadId));
        Assert.Equal(reader, moved.Calls[0].ThreadId);
        Assert.NotEqual(reader, moved.Calls[1].ThreadId);
        Assert.False(dispatcher.Snapshot().Single(h => h.Name == "Moved").Inline);
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 5011);
    }

    [Fact]
    public void TheFastPathAllocatesNothingPerEvent()
    {
        var handler = new CountingInline();
        EventDispatcher dispatcher = Dispatcher(handler);
        var record = new EventRecord { Sequence = 1, Kind = EventKind.Trigger, Count = 1, ReceivedAt = DateTimeOffset.UnixEpoch };
        for (int i = 0; i < 1000; i++)
        {
            dispatcher.Publish(in record);
        }

        // Per event, not once: the runtime may allocate on this thread once while it tiers the code up
        // (seen: 6 KiB in one round of a loaded CI run). An allocation per event shows in every round.
        var rounds = new List<long>(3);
        for (int round = 0; round < 3 && (rounds.Count == 0 || rounds[^1] != 0); round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100_000; i++)
            {
                dispatcher.Publish(in record);
            }

            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(1000 + (rounds.Count * 100_000), handler.Count);
        Assert.True(rounds[^1] == 0, $"bytes allocated per round of 100,000 events: {string.Join(", ", rounds)}");
    }

    /// <summary>Publishes events <paramref name="first"/> to <paramref name="last"/>, one reader batch each.</summary>
    private static void PublishRange(EventDispatcher dispatcher, ulong first, ulong last)
    {
        for (ulong seq = first; seq <= last; seq++)
        {
            Publish(dispatcher, seq);
        }
    }

    private static void Publish(EventDispatcher dispatcher, ulong seq)
    {
        var record = new EventRecord { Sequence = seq, Kind = EventKind.Trigger, Count = 1, ReceivedAt = DateTimeOffset.UnixEpoch };
        dispatcher.Publish(in record);
        dispatcher.EndOfBatch();
    }

    private EventDispatcher Dispatcher(IEventHandler handler) => Dispatcher([handler]);

    private EventDispatcher Dispatcher(IEventHandler[] handlers, params (string Name, HandlerOptions Options)[] settings)
    {
        var probe = new InlineProbe(_time, runtime: () => _runtime, switches: () => _switches, thread: () => new ThreadMark(_cpuNanoseconds, _voluntarySwitches));
        var options = settings.ToDictionary(s => s.Name, s => s.Options, StringComparer.OrdinalIgnoreCase);
        var dispatcher = new EventDispatcher(handlers, _time, new FakeLogger(_logs), options, probe: probe);
        _owned.AddRange(handlers.OfType<IDisposable>());
        _owned.Add(dispatcher);
        _owned.Add(new Drain(dispatcher)); // disposed first: the consumers end before their doorbells go
        dispatcher.Start();
        return dispatcher;
    }

    private sealed class Drain(EventDispatcher dispatcher) : IDisposable
    {
        public void Dispose() => dispatcher.Drain(TestTimeouts.Bound, TimeProvider.System);
    }

    /// <summary>Records each call's sequence and thread; can throw, or move the fake clock to play a slow call.</summary>
    private sealed class InlineRecorder(string name) : IInlineEventHandler, IDisposable
    {
        private readonly List<(ulong Sequence, int ThreadId)> _calls = [];
        private readonly SemaphoreSlim _called = new(0);

        public string Name => name;

        public Func<ulong, TimeSpan> During { get; set; } = _ => TimeSpan.Zero;

        public Action<TimeSpan> Advance { get; set; } = _ => { };

        public ulong ThrowOn { get; init; }

        public IReadOnlyList<(ulong Sequence, int ThreadId)> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public void Handle(KernelEvent kernelEvent)
        {
            lock (_calls)
            {
                _calls.Add((kernelEvent.Sequence, Environment.CurrentManagedThreadId));
            }

            _called.Release();
            TimeSpan d = During(kernelEvent.Sequence);
            if (d > TimeSpan.Zero)
            {
                Advance(d);
            }

            if (kernelEvent.Sequence == ThrowOn)
            {
                throw new InvalidOperationException("boom");
            }
        }

        public void Dispose() => _called.Dispose();

        public async Task WaitForAsync(int calls)
        {
            while (Calls.Count < calls)
            {
                Assert.True(await _called.WaitAsync(TestTimeouts.Bound), $"{name}: {Calls.Count} of {calls} calls");
            }
        }
    }

    private sealed class CountingInline : IInlineEventHandler
    {
        public long Count { get; private set; }

        public void Handle(KernelEvent kernelEvent) => Count++;
    }
}
