using EfdDaemon.Events;
using Microsoft.Extensions.Time.Testing;

namespace EfdDaemon.Tests.Events;

/// <summary>The call timeout on a fake clock: armed once per busy period, yet each call gets its own full timeout.</summary>
public sealed class CallTimeoutTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new();
    private readonly List<(string What, TimeSpan At)> _seen = [];
    private readonly DateTimeOffset _start;
    private readonly CallTimeout _timeout;

    public CallTimeoutTests()
    {
        _start = _time.GetUtcNow();
        _timeout = new CallTimeout(_time, () => _seen.Add(("timed out", Now)), () => _seen.Add(("ignored", Now)));
    }

    private TimeSpan Now => _time.GetUtcNow() - _start;

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public void ShortBackToBackCallsAreNeverCancelledHoweverLongTheConsumerStaysBusy()
    {
        for (int i = 0; i < 60; i++)
        {
            CancellationToken token = _timeout.Begin(Timeout, _time.GetTimestamp());
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.False(token.IsCancellationRequested);
            _timeout.End();
        }

        Assert.Empty(_seen);
    }

    [Fact]
    public void ACallThatStartsLateInABusyPeriodIsCancelledOneTimeoutAfterItsOwnStart()
    {
        _timeout.Begin(Timeout, _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(3));
        _timeout.End();

        CancellationToken hung = _timeout.Begin(Timeout, _time.GetTimestamp()); // at 3 s
        _time.Advance(TimeSpan.FromSeconds(4)); // 7 s: the timer fired at 5 s and found it 2 s old
        Assert.False(hung.IsCancellationRequested);
        _time.Advance(TimeSpan.FromSeconds(1)); // 8 s = its start + Timeout
        Assert.True(hung.IsCancellationRequested);
        Assert.Equal([("timed out", TimeSpan.FromSeconds(8))], _seen);

        _time.Advance(Timeout); // 13 s: still running one timeout after its cancellation
        Assert.Equal([("timed out", TimeSpan.FromSeconds(8)), ("ignored", TimeSpan.FromSeconds(13))], _seen);
    }

    [Fact]
    public void AnIdleConsumerHasNoTimer()
    {
        _timeout.Begin(Timeout, _time.GetTimestamp());
        _timeout.End();
        _timeout.Idle();
        _time.Advance(TimeSpan.FromHours(1));

        CancellationToken next = _timeout.Begin(Timeout, _time.GetTimestamp());
        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(next.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(next.IsCancellationRequested);
        Assert.Single(_seen);
    }
}
