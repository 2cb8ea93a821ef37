namespace EfdDaemon.TestSupport;

/// <summary>What the test plugins report to (an <see cref="IProgress{T}"/> in the daemon's container); lets a test wait for a line.</summary>
public sealed class Probe : IProgress<string>
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public void Report(string value)
    {
        lock (_lock)
        {
            _lines.Add(value);
            foreach (var w in _waiters.Where(w => w.Match(value)).ToList())
            {
                w.Done.TrySetResult(value);
                _waiters.Remove(w);
            }
        }
    }

    /// <summary>Completes with the first line (past or future) starting with <paramref name="prefix"/>; fails after a generous bound.</summary>
    public Task<string> WaitForAsync(string prefix)
    {
        bool Match(string line) => line.StartsWith(prefix, StringComparison.Ordinal);
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            string? seen = _lines.FirstOrDefault(Match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((Match, done));
        }

        return done.Task.WaitAsync(TestTimeouts.Bound);
    }
}
