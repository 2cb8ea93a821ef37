using EfdDaemon.Metrics;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Events;

/// <summary>
/// Fans events out from the reader thread to one <see cref="HandlerQueue"/> per handler, and to an
/// optional tap (the control socket's listeners). <see cref="Publish"/> never blocks.
/// </summary>
/// <remarks>
/// Usable without the host: <c>new EventDispatcher(handlers, TimeProvider.System, logger)</c>,
/// <see cref="Start"/>, pass it to <see cref="EventfdSource.Start"/>, and at the end
/// <see cref="Drain"/>. Settings per handler come from <see cref="HandlerSettingsReader"/>.
/// </remarks>
internal sealed class EventDispatcher : IEventSink, IDisposable
{
    private readonly HandlerQueue[] _queues;
    private readonly DispatchCounters _counters;
    private readonly EfdMetrics? _metrics;
    private readonly ILogger _logger;
    private IEventSink? _tap;

    public EventDispatcher(
        IEnumerable<IEventHandler> handlers,
        TimeProvider timeProvider,
        ILogger logger,
        IReadOnlyDictionary<string, HandlerOptions>? settings = null,
        DispatchCounters? counters = null,
        EfdMetrics? metrics = null)
    {
        _logger = logger;
        _counters = counters ?? new DispatchCounters();
        _metrics = metrics;
        var queues = new List<HandlerQueue>();
        foreach (IEventHandler handler in handlers)
        {
            if (queues.Exists(q => string.Equals(q.Name, handler.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"Two event handlers are named '{handler.Name}'; names must be unique.");
            }

            HandlerSettings s = HandlerSettingsReader.Resolve(handler, settings);
            queues.Add(new HandlerQueue(handler, s, timeProvider, logger, _counters, metrics));
            Log.HandlerRegistered(logger, handler.Name, DescribeKinds(s.Kinds), s.QueueCapacity, s.Policy, s.Enabled);
        }

        _queues = [.. queues];
        Handlers = handlers.ToArray();
    }

    public DispatchCounters Counters => _counters;

    public IReadOnlyList<IEventHandler> Handlers { get; }

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
            if (q.Offer(in record))
            {
                _counters.AddDispatched();
                _metrics?.Dispatched.Add(1);
            }
        }

        Volatile.Read(ref _tap)?.Publish(in record);
    }

    public void EndOfBatch()
    {
        foreach (HandlerQueue q in _queues)
        {
            q.WakeIfPending();
        }

        Volatile.Read(ref _tap)?.EndOfBatch();
    }

    /// <summary>Applies new per-handler settings (SIGHUP). Callers validate first; see <see cref="HandlerSettingsReader"/>.</summary>
    public void Apply(IReadOnlyDictionary<string, HandlerOptions> settings)
    {
        foreach (HandlerQueue q in _queues)
        {
            IEventHandler handler = Handlers.First(h => h.Name == q.Name);
            HandlerSettings s = HandlerSettingsReader.Resolve(handler, settings);
            if (!s.SameAs(q.Settings))
            {
                q.Apply(s);
                Log.HandlerSettingsApplied(_logger, q.Name, DescribeKinds(s.Kinds), s.QueueCapacity, s.Policy, s.Timeout, s.Enabled);
            }
        }
    }

    /// <summary>Lets every consumer finish its queue within <paramref name="timeout"/>; abandons the rest. Returns the events left undelivered.</summary>
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

    /// <summary>Logs each handler's totals, drops included (at shutdown).</summary>
    public void LogFinalCounters()
    {
        foreach (HandlerQueue q in _queues)
        {
            HandlerSnapshot s = q.Snapshot();
            Log.HandlerTotals(_logger, s.Name, s.Handled, s.Failures, s.Timeouts, s.Dropped, q.TakeUnloggedDrops());
        }
    }

    public void Dispose()
    {
        foreach (HandlerQueue q in _queues)
        {
            q.Dispose();
        }
    }

    internal static string DescribeKinds(KindFilter kinds) =>
        kinds.Kinds is null ? "*" : string.Join(',', kinds.Kinds.Select(EventKindNames.GetName));
}
