namespace EfdDaemon.Tests.Support;

/// <summary>Records what it receives (payload copied); lets a test wait for a number of events.</summary>
internal sealed class RecordingHandler(string name = "Recorder", IReadOnlyCollection<EventKind>? kinds = null) : IEventHandler
{
    private readonly Lock _lock = new();
    private readonly List<(KernelEvent Event, byte[] Payload)> _events = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public string Name { get; } = name;

    public IReadOnlyCollection<EventKind>? Kinds { get; } = kinds;

    public IReadOnlyList<KernelEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events.Select(e => e.Event)];
            }
        }
    }

    public IReadOnlyList<byte[]> Payloads
    {
        get
        {
            lock (_lock)
            {
                return [.. _events.Select(e => e.Payload)];
            }
        }
    }

    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _events.Add((kernelEvent, kernelEvent.Payload.ToArray()));
            foreach (var w in _waiters.Where(w => _events.Count >= w.Count).ToList())
            {
                w.Done.TrySetResult();
                _waiters.Remove(w);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Completes when at least <paramref name="count"/> events have arrived; fails after a generous bound.</summary>
    public Task WaitForAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_events.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, done));
        }

        return done.Task.WaitAsync(TestTimeouts.Bound);
    }
}
