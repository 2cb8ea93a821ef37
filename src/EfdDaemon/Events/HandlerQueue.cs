using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using EfdDaemon.Interop;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Events;

/// <summary>A handler's standing with the reader.</summary>
internal enum HandlerState
{
    /// <summary>Its configured policy applies.</summary>
    Normal,

    /// <summary>A <c>Lossless</c> handler that held the reader back past its <c>MaxStall</c>: <c>DropOldest</c> until its queue is below half.</summary>
    Demoted,

    /// <summary>It ignored the cancellation of a call for a second <c>Timeout</c>: <c>DropOldest</c> until the daemon restarts.</summary>
    Quarantined,
}

/// <summary>
/// One handler's bounded queue of <see cref="EventRecord"/> slots and the dedicated thread that
/// consumes it: the reader copies a record into a preallocated slot and rings the consumer's
/// doorbell only when it sleeps, so the handoff neither allocates nor hops through the thread pool.
/// </summary>
/// <remarks>
/// For the reader it also answers the two questions of lossless delivery: how many more events fit
/// (<see cref="Room"/>, the back-pressure) and which is the oldest this handler has not finished
/// (<see cref="OldestUnfinished"/>, the commit). Both change on the consumer's thread; the reader
/// asks to be woken when they do with <see cref="ArmReaderWake"/>.
/// </remarks>
internal sealed partial class HandlerQueue : IDisposable
{
    /// <summary><see cref="OldestUnfinished"/> when the handler holds nothing back.</summary>
    public const ulong NothingUnfinished = ulong.MaxValue;

    /// <summary>The most events the consumer takes from the queue under one lock.</summary>
    public const int TakeBatch = 32;

    private readonly Lock _gate = new();
    private readonly Doorbell _doorbell = new();
    private readonly IEventHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action _wakeReader;
    private readonly Histogram<double>? _duration;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly CallTimeout _timeout;
    private readonly IInlineEventHandler? _inlineHandler;
    private readonly InlineProbe? _probe;
    private readonly byte[]? _inlinePayload;
    private readonly BurstLog[] _lossLogs = new BurstLog[(int)LossHop.Listener + 1];
    private HandlerSettings _settings;
    private EventRecord[] _slots;
    private int _capacity;
    private int _head;
    private int _count;
    private HandlerState _state;
    private bool _inCall;
    private readonly EventRecord[] _taken = new EventRecord[TakeBatch]; // consumer thread only
    private int _takenCount;
    private int _takenNext;
    private ulong _inCallSequence;
    private ulong _oldestUnfinished = NothingUnfinished;
    private bool _frozen;
    private int _readerWakeAt = -1;
    private bool _consumerWaiting;
    private bool _wakePending; // reader thread only
    private bool _completing;
    private Thread? _thread;
    private bool _inline;
    private readonly long[] _overrunCalls = new long[OverrunLimit]; // reader thread only
    private int _overruns; // reader thread only
    private bool _testNextCall; // reader thread only
    private long _holdingSince; // reader thread only

    /// <param name="handler">The handler.</param>
    /// <param name="settings">Its effective settings.</param>
    /// <param name="time">The clock of timeouts, stalls and loss reports.</param>
    /// <param name="logger">Where warnings go.</param>
    /// <param name="wakeReader">Rings the reader's completion signal; called from the consumer and timer threads.</param>
    /// <param name="duration">The call-duration histogram, if metrics are on.</param>
    /// <param name="probe">The reader thread's figures for timing fast-path calls: given, an <see cref="IInlineEventHandler"/> with an <c>InlineBudget</c> starts on the fast path.</param>
    public HandlerQueue(IEventHandler handler, HandlerSettings settings, TimeProvider time, ILogger logger, Action wakeReader, Histogram<double>? duration = null, InlineProbe? probe = null)
    {
        _handler = handler;
        Name = handler.Name;
        _settings = settings;
        _capacity = settings.QueueCapacity;
        _slots = new EventRecord[settings.QueueCapacity];
        _time = time;
        _logger = logger;
        _wakeReader = wakeReader;
        _duration = duration;
        _tag = new KeyValuePair<string, object?>("handler", Name);
        _timeout = new CallTimeout(time, OnTimedOut, OnIgnoredCancellation);
        if (handler is IInlineEventHandler inline && probe is not null && settings.InlineBudget > TimeSpan.Zero)
        {
            _inlineHandler = inline;
            _probe = probe;
            _inlinePayload = new byte[KernelEvent.MaxPayloadLength];
            _inline = true;
        }
    }

    public string Name { get; }

    public HandlerSettings Settings => Volatile.Read(ref _settings);

    public HandlerCounters Counters { get; } = new();

    public HandlerState State => (HandlerState)Volatile.Read(ref Unsafe.As<HandlerState, int>(ref _state));

    /// <summary>Gets the policy in force: the configured one, or <c>DropOldest</c> while demoted or quarantined.</summary>
    public FullQueuePolicy EffectivePolicy => State == HandlerState.Normal ? Settings.Policy : FullQueuePolicy.DropOldest;

    /// <summary>Gets how many more events fit without a loss: <see cref="int.MaxValue"/> unless the handler is <c>Lossless</c> now.</summary>
    /// <remarks>
    /// Read on the reader thread; the consumer only ever makes it larger meanwhile. Events the consumer
    /// has taken in a batch but not begun still count against the capacity, so at most
    /// <c>QueueCapacity</c> wait and one is in a call, whatever the batch.
    /// </remarks>
    public int Room
    {
        get
        {
            HandlerSettings s = Volatile.Read(ref _settings);
            if (!s.Enabled || !HoldsReader(s, State))
            {
                return int.MaxValue;
            }

            return Math.Max(0, Volatile.Read(ref _capacity) - QueueLength);
        }
    }

    /// <summary>Gets the lowest <c>seq</c> queued to this handler and not finished, or <see cref="NothingUnfinished"/>.</summary>
    /// <remarks>Only a <c>Lossless</c> handler in good standing holds commits back; the others accepted losses and are not waited for.</remarks>
    public ulong OldestUnfinished => Volatile.Read(ref _oldestUnfinished);

    /// <summary>Gets whether the handler runs on the reader thread (the fast path) rather than on its queue's thread.</summary>
    public bool IsInline => Volatile.Read(ref _inline);

    /// <summary>Gets the events waiting now: queued, or taken by the consumer and not begun (not the one in a call).</summary>
    public int QueueLength => Volatile.Read(ref _count) + Math.Max(0, Volatile.Read(ref _takenCount) - Volatile.Read(ref _takenNext));

    public HandlerSnapshot Snapshot()
    {
        int length;
        lock (_gate)
        {
            length = QueueLength;
        }

        return new HandlerSnapshot(Name, Settings, State, EffectivePolicy, length, Counters, IsInline);
    }

    /// <summary>Starts the consumer thread, unless the handler starts on the fast path (its thread starts when it leaves it).</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (!_inline)
            {
                StartConsumerLocked();
            }
        }
    }

    /// <summary>Queues <paramref name="record"/> if the handler wants it; never blocks. Called on the reader thread only.</summary>
    public bool Offer(in EventRecord record)
    {
        HandlerSettings settings = Volatile.Read(ref _settings);
        if (!settings.Enabled || !settings.Kinds.Contains(record.Kind, record.Format))
        {
            return false;
        }

        if (_inline)
        {
            InvokeInline(in record, settings);
            return true;
        }

        bool queued = true;
        bool wake = false;
        LossHop hop = LossHop.Policy;
        ulong lostSequence = 0;
        bool dropped = false;
        lock (_gate)
        {
            if (_completing)
            {
                return false;
            }

            if (_count >= _capacity)
            {
                FullQueuePolicy policy = _state == HandlerState.Normal ? settings.Policy : FullQueuePolicy.DropOldest;
                hop = _state switch { HandlerState.Quarantined => LossHop.Quarantine, HandlerState.Demoted => LossHop.Demotion, _ => LossHop.Policy };
                if (policy == FullQueuePolicy.Lossless && _count < _slots.Length)
                {
                    // The reader checked Room; only a reload that shrank the queue since lands here. Keep it.
                }
                else if (policy == FullQueuePolicy.Lossless)
                {
                    // Unreachable while the reader honours Room; were it not, grow rather than lose the event.
                    GrowLocked();
                }
                else if (policy == FullQueuePolicy.DropNewest)
                {
                    dropped = true;
                    queued = false;
                    lostSequence = record.Sequence;
                }
                else
                {
                    dropped = true;
                    lostSequence = _slots[_head].Sequence;
                    _head = (_head + 1) % _slots.Length;
                    _count--;
                }
            }

            if (queued)
            {
                _slots[(_head + _count) % _slots.Length] = record;
                _count++;
                wake = _consumerWaiting;
                _consumerWaiting = false;
            }

            UpdateOldestLocked();
        }

        if (wake)
        {
            // Rung at the end of the reader's batch: one wake-up for a backlog, not one per event.
            _wakePending = true;
        }

        if (dropped)
        {
            NoteDrop(hop, lostSequence);
        }

        if (queued)
        {
            Counters.AddQueued();
        }

        return queued;
    }

    /// <summary>Wakes the consumer if something was queued while it slept. Called on the reader thread only.</summary>
    public void WakeIfPending()
    {
        if (_wakePending)
        {
            _wakePending = false;
            _doorbell.Ring();
        }
    }

    /// <summary>
    /// Asks the consumer to ring the reader once, after the next call that ends with at most
    /// <paramref name="queuedAtMost"/> events left (0: when it has finished everything; <see cref="int.MaxValue"/>:
    /// after any call). Called on the reader thread before it sleeps; it then reads <see cref="Room"/> and
    /// <see cref="OldestUnfinished"/> again, so a call that ended in between is not missed.
    /// </summary>
    public void ArmReaderWake(int queuedAtMost)
    {
        lock (_gate)
        {
            _readerWakeAt = Math.Max(_readerWakeAt, queuedAtMost);
        }
    }

    /// <summary>
    /// Tracks, on the reader thread, how long this handler has held the reader back; demotes it once
    /// that exceeds its <c>MaxStall</c>. Returns the time left until it would be demoted, or null when it is not holding.
    /// </summary>
    public TimeSpan? TrackStall(bool holding, long now)
    {
        if (!holding || Room == int.MaxValue)
        {
            _holdingSince = 0;
            return null;
        }

        if (_holdingSince == 0)
        {
            _holdingSince = now;
        }

        TimeSpan held = _time.GetElapsedTime(_holdingSince, now);
        TimeSpan maxStall = Settings.MaxStall;
        if (held < maxStall)
        {
            return maxStall - held;
        }

        _holdingSince = 0;
        Demote(held);
        return null;
    }

    /// <summary>Replaces the settings. A smaller capacity keeps what is queued beyond it (nothing is dropped); it drains to the new size.</summary>
    public void Apply(HandlerSettings settings)
    {
        lock (_gate)
        {
            if (settings.QueueCapacity != _slots.Length)
            {
                var slots = new EventRecord[Math.Max(settings.QueueCapacity, _count)];
                for (int i = 0; i < _count; i++)
                {
                    slots[i] = _slots[(_head + i) % _slots.Length];
                }

                _slots = slots;
                _head = 0;
            }

            Volatile.Write(ref _capacity, settings.QueueCapacity);
            Volatile.Write(ref _settings, settings);
            UpdateOldestLocked();
            if (_inline && settings.InlineBudget == TimeSpan.Zero)
            {
                LeaveFastPathLocked();
                Log.HandlerLeftFastPathByConfiguration(_logger, Name);
            }
        }

        _wakeReader();
    }

    /// <summary>Lets the consumer finish what is queued, then end.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completing = true;
        }

        _doorbell.Ring();
    }

    /// <summary>
    /// Waits for the consumer to end; returns <see langword="false"/> when it did not in time, with the
    /// events left. Those stay unfinished: <see cref="OldestUnfinished"/> no longer moves, so they are not committed.
    /// </summary>
    public bool WaitForDrain(TimeSpan timeout, out int left)
    {
        left = 0;
        if (_thread is null || _thread.Join(timeout))
        {
            return true;
        }

        lock (_gate)
        {
            _frozen = true;
            left = _count + (_inCall ? 1 : 0) + Math.Max(0, Volatile.Read(ref _takenCount) - Volatile.Read(ref _takenNext));
            _count = 0;
            return false;
        }
    }

    /// <summary>Cancels the call in progress (the drain ran out of time).</summary>
    public void Abandon() => _timeout.Abandon();

    public void Dispose()
    {
        _timeout.Dispose();
        _doorbell.Dispose();
        foreach (BurstLog? log in _lossLogs)
        {
            log?.Dispose();
        }
    }

    /// <summary>Returns and clears the losses not reported yet, per hop (the final report at shutdown).</summary>
    public long TakeUnreportedLosses()
    {
        long n = 0;
        foreach (BurstLog? log in _lossLogs)
        {
            n += log?.TakePending().Count ?? 0;
        }

        return n;
    }

    /// <summary>Only a <c>Lossless</c> handler in good standing makes the reader wait and holds commits back.</summary>
    private static bool HoldsReader(HandlerSettings settings, HandlerState state) =>
        state == HandlerState.Normal && settings.Policy == FullQueuePolicy.Lossless;

    private void GrowLocked()
    {
        var slots = new EventRecord[_slots.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            slots[i] = _slots[(_head + i) % _slots.Length];
        }

        _slots = slots;
        _head = 0;
    }

    private void UpdateOldestLocked()
    {
        if (_frozen)
        {
            return;
        }

        ulong oldest = NothingUnfinished;
        if (HoldsReader(_settings, _state))
        {
            oldest = _inCall ? _inCallSequence : _count > 0 ? _slots[_head].Sequence : NothingUnfinished;
        }

        Volatile.Write(ref _oldestUnfinished, oldest);
    }

    private void Demote(TimeSpan held)
    {
        int length;
        lock (_gate)
        {
            if (_state != HandlerState.Normal)
            {
                return;
            }

            _state = HandlerState.Demoted;
            length = _count;
            UpdateOldestLocked();
        }

        Counters.AddDemotion();
        Log.HandlerDemoted(_logger, Name, held, Settings.MaxStall, length, _capacity);
    }

    private void NoteDrop(LossHop hop, ulong sequence)
    {
        Counters.AddDrop(hop);
        LossLog(hop).Add(sequence, sequence);
    }

    private BurstLog LossLog(LossHop hop)
    {
        BurstLog? log = Volatile.Read(ref _lossLogs[(int)hop]);
        if (log is not null)
        {
            return log;
        }

        var created = new BurstLog(_time, hop == LossHop.Timeout
            ? burst => Log.HandlerTimedOut(_logger, Name, burst.Count, Settings.Timeout, burst.Describe(), Counters.Timeouts)
            : burst => Log.EventsLost(_logger, Name, burst.Count, hop, burst.Describe(), Counters.Lost(hop)));
        log = Interlocked.CompareExchange(ref _lossLogs[(int)hop], created, null);
        if (log is null)
        {
            return created;
        }

        created.Dispose();
        return log;
    }
}

/// <summary>A handler's figures for the status reply, the metrics and the final log line.</summary>
internal sealed record HandlerSnapshot(string Name, HandlerSettings Settings, HandlerState State, FullQueuePolicy EffectivePolicy, int QueueLength, HandlerCounters Counters, bool Inline = false)
{
    public long Handled => Counters.Handled;

    public long Failures => Counters.Failures;

    public long Timeouts => Counters.Timeouts;

    public long Dropped => Counters.Dropped;
}
