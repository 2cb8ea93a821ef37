namespace EfdDaemon.TestSupport;

/// <summary>What the test plugins report to (an <see cref="IProgress{T}"/> in the daemon's container); lets a test wait for a line.</summary>
public sealed class Probe : IProgress<string>
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly List<(string Prefix, int Occurrence, TaskCompletionSource<string> Done)> _waiters = [];

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
            foreach (var w in _waiters.Where(w => value.StartsWith(w.Prefix, StringComparison.Ordinal) && Count(w.Prefix) >= w.Occurrence).ToList())
            {
                w.Done.TrySetResult(value);
                _waiters.Remove(w);
            }
        }
    }

    /// <summary>
    /// Completes with the <paramref name="occurrence"/>-th line (past or future) starting with
    /// <paramref name="prefix"/>; fails after a generous bound.
    /// </summary>
    public Task<string> WaitForAsync(string prefix, int occurrence = 1)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            string? seen = _lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Skip(occurrence - 1).FirstOrDefault();
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((prefix, occurrence, done));
        }

        return done.Task.WaitAsync(TestTimeouts.Bound);
    }

    private int Count(string prefix) => _lines.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));
}
