namespace EfdDaemon.Events;

/// <summary>Lets a repeated condition be logged at most once per interval, with the count gathered meanwhile.</summary>
/// <remarks>No timer: the check happens when the condition recurs; the remainder is reported by <see cref="TakePending"/>.</remarks>
internal sealed class LogRateLimiter(TimeProvider timeProvider, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private long _lastLogTimestamp;
    private bool _loggedOnce;
    private long _pending;

    /// <summary>Adds <paramref name="count"/> occurrences; returns <see langword="true"/> with the total to log when the interval has passed.</summary>
    public bool Add(long count, out long toLog)
    {
        lock (_lock)
        {
            _pending += count;
            long now = timeProvider.GetTimestamp();
            if (_loggedOnce && timeProvider.GetElapsedTime(_lastLogTimestamp, now) < interval)
            {
                toLog = 0;
                return false;
            }

            _loggedOnce = true;
            _lastLogTimestamp = now;
            toLog = _pending;
            _pending = 0;
            return true;
        }
    }

    /// <summary>Returns and clears the occurrences not logged yet (for the final report).</summary>
    public long TakePending()
    {
        lock (_lock)
        {
            long p = _pending;
            _pending = 0;
            return p;
        }
    }
}
