namespace EfdDaemon.Events;

/// <summary>
/// The cancellation token of one handler call and the timer that cancels it. One timer per handler,
/// armed while the consumer is busy (idle: no timer), one token source reused until it is cancelled.
/// A call still running one more timeout after its cancellation is reported as ignoring it.
/// </summary>
/// <remarks>
/// A call only records when it began: the timer is armed once when the consumer gets busy, and when it
/// fires it cancels the call in progress if that call is old enough, or re-arms for the time the call
/// has left. So back-to-back calls cost no timer operation each, and a busy consumer one timer tick per
/// <c>Timeout</c>; <see cref="Idle"/> disarms it when the queue is empty.
/// </remarks>
internal sealed class CallTimeout : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Action _timedOut;
    private readonly Action _ignoredCancellation;
    private readonly CancellationTokenSource _abandon = new();
    private CancellationTokenSource _cts = new();
    private TimeSpan _timeout;
    private long _callStarted;
    private long _call;
    private long _cancelledCall = -1;
    private bool _inCall;
    private bool _armed;

    /// <param name="time">The clock of the timer and of the calls' start.</param>
    /// <param name="timedOut">Runs on the timer's thread when a call outlives its timeout (it is cancelled first).</param>
    /// <param name="ignoredCancellation">Runs on the timer's thread when that call is still running a second timeout later.</param>
    public CallTimeout(TimeProvider time, Action timedOut, Action ignoredCancellation)
    {
        _time = time;
        _timedOut = timedOut;
        _ignoredCancellation = ignoredCancellation;
        _timer = time.CreateTimer(static s => ((CallTimeout)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gets a token cancelled when the drain gives up on the handler.</summary>
    public CancellationToken AbandonToken => _abandon.Token;

    /// <summary>Starts a call at <paramref name="started"/> (a timestamp of the clock given); returns its token.</summary>
    public CancellationToken Begin(TimeSpan timeout, long started)
    {
        bool arm;
        CancellationToken token;
        lock (_lock)
        {
            if (_cts.IsCancellationRequested)
            {
                _cts.Dispose();
                _cts = new CancellationTokenSource();
            }

            _call++;
            _callStarted = started;
            _inCall = true;
            arm = !_armed || timeout < _timeout;
            _armed = true;
            _timeout = timeout;
            token = _cts.Token;
        }

        if (arm)
        {
            _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        }

        return token;
    }

    /// <summary>Ends a call.</summary>
    public void End()
    {
        lock (_lock)
        {
            _inCall = false;
        }
    }

    /// <summary>The consumer has nothing to do: no timer while it sleeps.</summary>
    public void Idle()
    {
        lock (_lock)
        {
            if (!_armed)
            {
                return;
            }

            _armed = false;
        }

        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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
        TimeSpan next;
        bool secondTimeout = false, cancel = false;
        lock (_lock)
        {
            if (!_armed)
            {
                return;
            }

            TimeSpan age = _inCall ? _time.GetElapsedTime(_callStarted) : TimeSpan.Zero;
            if (!_inCall)
            {
                // Between calls: the next one starts its own timeout.
                next = _timeout;
            }
            else if (_cancelledCall == _call)
            {
                // Cancelled one timeout ago and still running.
                secondTimeout = age >= _timeout * 2;
                next = secondTimeout ? Timeout.InfiniteTimeSpan : (_timeout * 2) - age;
            }
            else if (age >= _timeout)
            {
                cancel = true;
                next = _timeout;
            }
            else
            {
                next = _timeout - age;
            }

            if (next == Timeout.InfiniteTimeSpan)
            {
                _armed = false;
            }
        }

        _timer.Change(next, Timeout.InfiniteTimeSpan);
        if (secondTimeout)
        {
            _ignoredCancellation();
        }
        else if (cancel && TryCancel())
        {
            _timedOut();
        }
    }

    /// <summary>Cancels the call in progress, if any; the handler's callbacks run on the thread pool, not under the lock.</summary>
    private bool TryCancel()
    {
        lock (_lock)
        {
            if (!_inCall || _cancelledCall == _call)
            {
                return false;
            }

            _cancelledCall = _call;
            _ = _cts.CancelAsync();
            return true;
        }
    }
}
