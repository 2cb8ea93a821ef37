namespace EfdDaemon.Tests.Support;

/// <summary>Every call waits for a gate; counts completed calls.</summary>
internal sealed class GatedHandler(Task gate, string name = "Gated") : IEventHandler
{
    private readonly TaskCompletionSource _firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _completed;

    public string Name { get; } = name;

    public Task FirstCallStarted => _firstCall.Task;

    public int Completed => Volatile.Read(ref _completed);

    public async ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        _firstCall.TrySetResult();
        await gate.ConfigureAwait(false);
        Interlocked.Increment(ref _completed);
    }
}
