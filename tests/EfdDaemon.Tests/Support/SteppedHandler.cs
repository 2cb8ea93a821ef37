namespace EfdDaemon.Tests.Support;

/// <summary>
/// A handler whose every call waits for a permit (<see cref="Release"/>): the test decides when each
/// call finishes. With <c>ignoreCancellation</c> it does not give up when its token is cancelled,
/// like a handler stuck in a blocking call.
/// </summary>
internal sealed class SteppedHandler(string name, bool ignoreCancellation = false) : IEventHandler, IDisposable
{
    private readonly SemaphoreSlim _permits = new(0);
    private readonly SemaphoreSlim _started = new(0);
    private readonly Lock _lock = new();
    private readonly List<KernelEvent> _seen = [];

    public string Name { get; } = name;

    public IReadOnlyList<KernelEvent> Seen
    {
        get
        {
            lock (_lock)
            {
                return [.. _seen];
            }
        }
    }

    public void Release(int calls = 1) => _permits.Release(calls);

    /// <summary>Waits until another call has started.</summary>
    public Task WaitForCallAsync() => _started.WaitAsync(TestTimeouts.Bound).ContinueWith(
        t => t.Result ? Task.CompletedTask : throw new TimeoutException($"{Name}: no call started within {TestTimeouts.Bound}"), TaskScheduler.Default).Unwrap();

    public async ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _seen.Add(kernelEvent);
        }

        _started.Release();
        await _permits.WaitAsync(ignoreCancellation ? CancellationToken.None : cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _permits.Dispose();
        _started.Dispose();
    }
}
