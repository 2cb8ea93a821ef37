using EfdDaemon.Interop;
using EfdDaemon.Metrics;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Events;

/// <summary>
/// One handler's bounded queue of <see cref="EventRecord"/> slots and the dedicated thread that
/// consumes it: the reader copies a record into a preallocated slot and rings the consumer's
/// doorbell only when it sleeps, so the handoff neither allocates nor hops through the thread pool.
/// </summary>
internal sealed partial class HandlerQueue : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Doorbell _doorbell = new();
    private readonly IEventHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DispatchCounters _counters;
    private readonly EfdMetrics? _metrics;
    private readonly LogRateLimiter _dropLog;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly CallTimeout _timeout;
    private HandlerSettings _settings;
    private EventRecord[] _slots;
    private int _head;
    private int _count;
    private bool _consumerWaiting;
    private bool _wakePending; // reader thread only
    private bool _completing;
    private Thread? _thread;
    private long _handled;
    private long _failures;
    private long _timeouts;
    private long _dropped;
    private ulong _currentSequence;

    public HandlerQueue(IEventHandler handler, HandlerSettings settings, TimeProvider time, ILogger logger, DispatchCounters counters, EfdMetrics? metrics)
    {
        _handler = handler;
        Name = handler.Name;
        _settings = settings;
        _slots = new EventRecord[settings.QueueCapacity];
        _time = time;
        _logger = logger;
        _counters = counters;
        _metrics = metrics;
        _dropLog = new LogRateLimiter(time, TimeSpan.FromSeconds(1));
        _tag = new KeyValuePair<string, object?>("handler", Name);
        _timeout = new CallTimeout(time, OnTimedOut);
    }

    public string Name { get; }

    public HandlerSettings Settings => Volatile.Read(ref _settings);

    public HandlerSnapshot Snapshot()
    {
        int length;
        lock (_gate)
        {
            length = _count;
        }

        return new HandlerSnapshot(Name, Settings, length, Interlocked.Read(ref _handled), Interlocked.Read(ref _failures),
            Interlocked.Read(ref _timeouts), Interlocked.Read(ref _dropped));
    }

    public void Start()
    {
        _thread = new Thread(Consume) { IsBackground = true, Name = $"efd-handler-{Name}" };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="record"/> if the handler wants it; never blocks. Called on the reader thread only.</summary>
    public bool Offer(in EventRecord record)
    {
        HandlerSettings settings = Volatile.Read(ref _settings);
        if (!settings.Enabled || !settings.Kinds.Contains(record.Kind))
        {
            return false;
        }

        bool dropped = false;
        bool queued = true;
        bool wake = false;
        lock (_gate)
        {
            if (_completing)
            {
                return false;
            }

            if (_count == _slots.Length)
            {
                dropped = true;
                if (settings.Policy == FullQueuePolicy.DropNewest)
                {
                    queued = false;
                }
                else
                {
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
        }

        if (wake)
        {
            // Rung at the end of the reader's batch: one wake-up for a backlog, not one per event.
            _wakePending = true;
        }

        if (dropped)
        {
            NoteDrop(settings.Policy);
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

    /// <summary>Replaces the settings; a smaller capacity drops the oldest events that no longer fit (counted).</summary>
    public void Apply(HandlerSettings settings)
    {
        int lost = 0;
        lock (_gate)
        {
            if (settings.QueueCapacity != _slots.Length)
            {
                var slots = new EventRecord[settings.QueueCapacity];
                lost = Math.Max(0, _count - slots.Length);
                int keep = _count - lost;
                for (int i = 0; i < keep; i++)
                {
                    slots[i] = _slots[(_head + lost + i) % _slots.Length];
                }

                _slots = slots;
                _head = 0;
                _count = keep;
            }

            Volatile.Write(ref _settings, settings);
        }

        for (int i = 0; i < lost; i++)
        {
            NoteDrop(FullQueuePolicy.DropOldest);
        }
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

    /// <summary>Waits for the consumer to end; returns <see langword="false"/> when it did not in time, with the events left.</summary>
    public bool WaitForDrain(TimeSpan timeout, out int left)
    {
        left = 0;
        if (_thread is null || _thread.Join(timeout))
        {
            return true;
        }

        lock (_gate)
        {
            left = _count;
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
    }

    /// <summary>Gets drops not yet logged, for the final report.</summary>
    public long TakeUnloggedDrops() => _dropLog.TakePending();

    private void NoteDrop(FullQueuePolicy policy)
    {
        long total = Interlocked.Increment(ref _dropped);
        _counters.AddDropped();
        _metrics?.Dropped.Add(1, _tag);
        if (_dropLog.Add(1, out long toLog))
        {
            Log.EventsDropped(_logger, Name, toLog, policy, total);
        }
    }
}

/// <summary>A handler's figures for the status reply and the final log line.</summary>
internal sealed record HandlerSnapshot(string Name, HandlerSettings Settings, int QueueLength, long Handled, long Failures, long Timeouts, long Dropped);
