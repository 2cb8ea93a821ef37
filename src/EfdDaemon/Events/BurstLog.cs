namespace EfdDaemon.Events;

/// <summary>
/// Turns single occurrences (a loss, a redelivery) into one log line per burst: the first arms a
/// one-shot timer of <see cref="Window"/>; when it fires, the burst's count and sequence range are
/// reported once, and the next occurrence starts a new burst. Nothing to report, no timer.
/// </summary>
/// <remarks>Thread-safe: occurrences are noted on the reader, the consumers and the timers' threads.</remarks>
internal sealed class BurstLog : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private readonly Action<SeqRange> _report;
    private SeqRange _pending;

    /// <param name="time">The timer's clock.</param>
    /// <param name="report">Runs on the timer's thread with each burst (never with an empty one).</param>
    public BurstLog(TimeProvider time, Action<SeqRange> report)
    {
        _report = report;
        _timer = time.CreateTimer(static s => ((BurstLog)s!).Flush(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Notes <paramref name="count"/> events, sequence numbers <paramref name="first"/> to <paramref name="last"/> (0 for eventfd signals).</summary>
    public void Add(ulong first, ulong last, long count = 1)
    {
        bool arm;
        lock (_lock)
        {
            arm = _pending.Count == 0;
            _pending = _pending.Count == 0 ? new SeqRange(count, first, last) : _pending.Extend(first, last, count);
        }

        if (arm)
        {
            _timer.Change(Window, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Returns and clears the burst not reported yet (for the final report).</summary>
    public SeqRange TakePending()
    {
        lock (_lock)
        {
            SeqRange p = _pending;
            _pending = default;
            return p;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Flush()
    {
        SeqRange burst = TakePending();
        if (burst.Count > 0)
        {
            _report(burst);
        }
    }
}

/// <summary>A count of events and the lowest and highest sequence number among them.</summary>
internal readonly record struct SeqRange(long Count, ulong First, ulong Last)
{
    public SeqRange Extend(ulong first, ulong last, long count) =>
        new(Count + count, Math.Min(First, first), Math.Max(Last, last));

    /// <summary>Gets the range as the log shows it: <c>seq 5-9</c>, <c>seq 5</c>, or <c>no seq</c> for eventfd signals.</summary>
    public string Describe() =>
        Last == 0 ? "no seq (eventfd signals)"
        : First == Last ? FormattableString.Invariant($"seq {First}")
        : FormattableString.Invariant($"seq {First}-{Last}");
}
