using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Events;

/// <summary>
/// Fans events out from the reader thread to one <see cref="HandlerQueue"/> per handler, and to an
/// optional tap (the control socket's listeners). <see cref="Publish"/> never blocks: the reader
/// asks <see cref="Room"/> first, so a <c>Lossless</c> handler's full queue stops the reader instead.
/// </summary>
/// <remarks>
/// Usable without the host: <c>new EventDispatcher(handlers, TimeProvider.System, logger)</c>,
/// <see cref="Start"/>, pass it to <see cref="EventfdSource.Start"/>, and at the end
/// <see cref="Drain"/>. Settings per handler come from <see cref="HandlerSettingsReader"/>.
/// </remarks>
internal sealed class EventDispatcher : IEventSink, IDeliveryFlow, IDisposable
{
    private readonly HandlerQueue[] _queues;
    private readonly ILogger _logger;
    private readonly int _queueLimit;
    private readonly InlineProbe _probe;
    private Action _wakeReader = static () => { };
    private IEventSink? _tap;

    /// <param name="handlers">The handlers, uniquely named.</param>
    /// <param name="timeProvider">The clock of timeouts, stalls and loss reports.</param>
    /// <param name="logger">Where the dispatch lines go.</param>
    /// <param name="settings">The <c>Handlers</c> section (<see cref="HandlerSettingsReader.Read"/>).</param>
    /// <param name="duration">The call-duration histogram, if metrics are on (the other instruments observe the queues' counters).</param>
    /// <param name="queueLimit">The longest queue allowed, half the kernel ring (<see cref="HandlerSettingsReader.QueueLimit(Kernel.ModuleOptions)"/>).</param>
    /// <param name="probe">What tells a fast-path overrun caused by the handler from one caused by the machine; defaults to the runtime's and the reader thread's own figures.</param>
    public EventDispatcher(
        IEnumerable<IEventHandler> handlers,
        TimeProvider timeProvider,
        ILogger logger,
        IReadOnlyDictionary<string, HandlerOptions>? settings = null,
        Histogram<double>? duration = null,
        int queueLimit = HandlerOptions.MaxQueueCapacity,
        InlineProbe? probe = null)
    {
        probe ??= new InlineProbe(timeProvider);
        _probe = probe;
        _logger = logger;
        _queueLimit = queueLimit;
        var queues = new List<HandlerQueue>();
        foreach (IEventHandler handler in handlers)
        {
            if (queues.Exists(q => string.Equals(q.Name, handler.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"Two event handlers are named '{handler.Name}'; names must be unique.");
            }

            HandlerSettings s = HandlerSettingsReader.Resolve(handler, settings, queueLimit);
            var queue = new HandlerQueue(handler, s, timeProvider, logger, WakeReader, duration, probe);
            queues.Add(queue);
            Log.HandlerRegistered(logger, handler.Name, DescribeKinds(s.Kinds), s.QueueCapacity, s.Policy, s.Enabled, queue.IsInline ? "reader thread (fast path)" : "own thread");
        }

        _queues = [.. queues];
        Handlers = handlers.ToArray();
    }

    public IReadOnlyList<IEventHandler> Handlers { get; }

    /// <inheritdoc />
    public int Room
    {
        get
        {
            int room = int.MaxValue;
            foreach (HandlerQueue q in _queues)
            {
                room = Math.Min(room, q.Room);
            }

            return room;
        }
    }

    /// <inheritdoc />
    public ulong OldestUnfinished
    {
        get
        {
            ulong oldest = HandlerQueue.NothingUnfinished;
            foreach (HandlerQueue q in _queues)
            {
                oldest = Math.Min(oldest, q.OldestUnfinished);
            }

            return oldest;
        }
    }

    /// <summary>Sets the sink that sees every event after the handlers' queues (the control socket's listeners).</summary>
    public void SetTap(IEventSink? tap) => Volatile.Write(ref _tap, tap);

    public void Start()
    {
        foreach (HandlerQueue q in _queues)
        {
            q.Start();
        }
    }

    public void Publish(in EventRecord record)
    {
        foreach (HandlerQueue q in _queues)
        {
            q.Offer(in record);
        }

        Volatile.Read(ref _tap)?.Publish(in record);
    }

    public void EndOfBatch()
    {
        _probe.EndBatch();
        foreach (HandlerQueue q in _queues)
        {
            q.WakeIfPending();
        }

        Volatile.Read(ref _tap)?.EndOfBatch();
    }

    /// <inheritdoc />
    public void SetReaderWake(Action wake) => _wakeReader = wake;

    /// <inheritdoc />
    /// <remarks>
    /// Only the queues that can unblock the reader are asked: for room, the full ones (at half, so one
    /// wake-up refills half a queue); for the window and for commits, the ones holding the oldest
    /// unfinished event. For commits they ring when their queue is down to half of its length now, so a
    /// long queue that drains commits as it goes in a few wake-ups, not one per event.
    /// </remarks>
    public void ArmReaderWake(bool forRoom, bool forWindow)
    {
        ulong oldest = OldestUnfinished;
        foreach (HandlerQueue q in _queues)
        {
            if (forRoom && q.Room == 0)
            {
                q.ArmReaderWake(q.Settings.QueueCapacity / 2);
            }

            if (oldest != HandlerQueue.NothingUnfinished && q.OldestUnfinished == oldest)
            {
                q.ArmReaderWake(forWindow ? int.MaxValue : q.QueueLength / 2);
            }
        }
    }

    /// <inheritdoc />
    public TimeSpan? TrackStalls(bool roomBlocked, bool windowFull, long now)
    {
        ulong oldest = windowFull ? OldestUnfinished : HandlerQueue.NothingUnfinished;
        TimeSpan? next = null;
        foreach (HandlerQueue q in _queues)
        {
            bool holding = (roomBlocked && q.Room == 0) || (windowFull && oldest != HandlerQueue.NothingUnfinished && q.OldestUnfinished == oldest);
            if (q.TrackStall(holding, now) is { } due && (next is null || due < next))
            {
                next = due;
            }
        }

        return next;
    }

    /// <summary>Applies new per-handler settings (SIGHUP). Callers validate first; see <see cref="HandlerSettingsReader"/>.</summary>
    public void Apply(IReadOnlyDictionary<string, HandlerOptions> settings)
    {
        foreach (HandlerQueue q in _queues)
        {
            IEventHandler handler = Handlers.First(h => h.Name == q.Name);
            HandlerSettings s = HandlerSettingsReader.Resolve(handler, settings, _queueLimit);
            if (!s.SameAs(q.Settings))
            {
                q.Apply(s);
                Log.HandlerSettingsApplied(_logger, q.Name, DescribeKinds(s.Kinds), s.QueueCapacity, s.Policy, s.Timeout, s.Enabled);
            }
        }
    }

    /// <summary>Lets every consumer finish its queue within <paramref name="timeout"/>; abandons the rest. Returns the events left unfinished.</summary>
    public int Drain(TimeSpan timeout, TimeProvider timeProvider)
    {
        foreach (HandlerQueue q in _queues)
        {
            q.Complete();
        }

        long started = timeProvider.GetTimestamp();
        int left = 0;
        foreach (HandlerQueue q in _queues)
        {
            TimeSpan remaining = timeout - timeProvider.GetElapsedTime(started);
            if (!q.WaitForDrain(remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, out int n))
            {
                q.Abandon();
                left += n;
                Log.DrainTimedOut(_logger, q.Name, n, timeout);
            }
        }

        return left;
    }

    public IReadOnlyList<HandlerSnapshot> Snapshot() => [.. _queues.Select(q => q.Snapshot())];

    /// <summary>Gets the events queued to handlers, over all of them.</summary>
    public long Dispatched => _queues.Sum(q => q.Counters.Queued);

    /// <summary>Gets the events dropped from handlers' queues, over all of them and every hop.</summary>
    public long Dropped => _queues.Sum(q => q.Counters.Dropped);

    /// <summary>Logs each handler's totals, losses included (at shutdown).</summary>
    public void LogFinalCounters()
    {
        foreach (HandlerQueue q in _queues)
        {
            HandlerCounters c = q.Counters;
            Log.HandlerTotals(_logger, q.Name, c.Handled, c.Failures, c.Timeouts, c.Dropped, c.Demotions, q.TakeUnreportedLosses());
        }
    }

    public void Dispose()
    {
        foreach (HandlerQueue q in _queues)
        {
            q.Dispose();
        }
    }

    internal static string DescribeKinds(KindFilter kinds) => kinds.ToString();

    private void WakeReader() => _wakeReader();
}
