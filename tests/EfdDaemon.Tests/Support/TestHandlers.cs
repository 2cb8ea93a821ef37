namespace EfdDaemon.Tests.Support;

/// <summary>Throws on every call.</summary>
internal sealed class ThrowingHandler(string name = "Thrower") : IEventHandler
{
    private int _calls;

    public string Name { get; } = name;

    public int Calls => Volatile.Read(ref _calls);

    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        throw new InvalidOperationException("test handler failure");
    }
}

/// <summary>Never completes until its token is cancelled; reports each cancellation.</summary>
internal sealed class HangingHandler(string name = "Hanger") : IEventHandler
{
    private readonly TaskCompletionSource _firstCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    public Task FirstCall => _firstCall.Task;

    public Task FirstCancelled => _firstCancelled.Task;

    public async ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        _firstCall.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _firstCancelled.TrySetResult();
        }
    }
}

/// <summary>Does nothing: the handoff's cost alone.</summary>
internal sealed class NoOpHandler(string name = "NoOp") : IEventHandler
{
    public string Name { get; } = name;

    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
