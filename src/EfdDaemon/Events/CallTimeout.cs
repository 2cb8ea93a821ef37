namespace EfdDaemon.Events;

/// <summary>
/// The cancellation token of one handler call and the timer that cancels it. One timer per handler,
/// armed only while a call runs (idle: no timer), one token source reused until it is cancelled.
/// A call still running one more timeout after its cancellation is reported as ignoring it.
/// </summary>
internal sealed class CallTimeout : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private readonly Action _timedOut;
    private readonly Action _ignoredCancellation;
    private readonly CancellationTokenSource _abandon = new();
    private CancellationTokenSource _cts = new();
    private TimeSpan _timeout;
    private bool _inCall;
    private bool _cancelled;

    /// <param name="time">The clock of the timer.</param>
    /// <param name="timedOut">Runs on the timer's thread when a call outlives its timeout (it is cancelled first).</param>
    /// <param name="ignoredCancellation">Runs on the timer's thread when that call is still running a second timeout later.</param>
    public CallTimeout(TimeProvider time, Action timedOut, Action ignoredCancellation)
    {
        _timedOut = timedOut;
        _ignoredCancellation = ignoredCancellation;
        _timer = time.CreateTimer(static s => ((CallTimeout)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gets a token cancelled when the drain gives up on the handler.</summary>
    public CancellationToken AbandonToken => _abandon.Token;

    /// <summary>Starts a call; returns its token.</summary>
    public CancellationToken Begin(TimeSpan timeout)
    {
        lock (_lock)
        {
            if (_cts.IsCancellationRequested)
            {
                _cts.Dispose();
                _cts = new CancellationTokenSource();
            }

            _inCall = true;
            _cancelled = false;
            _timeout = timeout;
        }

        _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        return _cts.Token;
    }

    /// <summary>Ends a call.</summary>
    public void End()
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            _inCall = false;
        }
    }

    /// <summary>Cancels the current call and stops waiting for it (the drain ran out of time).</summary>
    public void Abandon()
    {
        TryCancel();
        _abandon.Cancel();
    }

    public void Dispose()
    {
        _timer.Dispose();
        _cts.Dispose();
        _abandon.Dispose();
    }

    private void OnTimer()
    {
        bool secondTimeout;
        lock (_lock)
        {
            if (!_inCall)
            {
                return;
            }

            secondTimeout = _cancelled;
        }

        if (secondTimeout)
        {
            _ignoredCancellation();
        }
        else if (TryCancel())
        {
            _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
            _timedOut();
        }
    }

    /// <summary>Cancels the call in progress, if any; the handler's callbacks run on the thread pool, not under the lock.</summary>
    private bool TryCancel()
    {
        lock (_lock)
        {
            if (!_inCall || _cancelled)
            {
                return false;
            }

            _cancelled = true;
            _ = _cts.CancelAsync();
            return true;
        }
    }
}
