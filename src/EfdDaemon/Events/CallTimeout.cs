namespace EfdDaemon.Events;

/// <summary>
/// The cancellation token of one handler call and the timer that cancels it. One timer per handler,
/// armed only while a call runs (idle: no timer), one token source reused until it is cancelled.
/// </summary>
internal sealed class CallTimeout : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _abandon = new();
    private CancellationTokenSource _cts = new();
    private bool _inCall;

    public CallTimeout(TimeProvider time)
    {
        _timer = time.CreateTimer(static s => ((CallTimeout)s!).CancelNow(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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
        }

        _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        return _cts.Token;
    }

    /// <summary>Ends a call; returns whether its token was cancelled.</summary>
    public bool End()
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            _inCall = false;
            return _cts.IsCancellationRequested;
        }
    }

    /// <summary>Cancels the call in progress, if any. Handlers' callbacks run on the thread pool, not under the lock.</summary>
    public void CancelNow()
    {
        lock (_lock)
        {
            if (_inCall && !_cts.IsCancellationRequested)
            {
                _ = _cts.CancelAsync();
            }
        }
    }

    /// <summary>Cancels the current call and stops waiting for it.</summary>
    public void Abandon()
    {
        CancelNow();
        _abandon.Cancel();
    }

    public void Dispose()
    {
        _timer.Dispose();
        _cts.Dispose();
        _abandon.Dispose();
    }
}
