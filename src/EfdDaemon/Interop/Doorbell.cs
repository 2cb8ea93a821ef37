namespace EfdDaemon.Interop;

/// <summary>
/// A wake-up between two threads over an eventfd: <see cref="Ring"/> from any thread, <see cref="Wait"/>
/// on the one owner thread. Rings coalesce and are never lost (the counter keeps them until read).
/// </summary>
/// <remarks>Measured against Monitor.Wait/Pulse for the dispatcher's handoff: about 1 µs lower p50 (see HandoffMeasurement).</remarks>
internal sealed class Doorbell : IDisposable
{
    private readonly FileDescriptor _eventfd = Eventfd.Create(semaphore: false);
    private Poller? _poller;

    /// <summary>Gets the eventfd, for a poller that waits on it among other descriptors (then call <see cref="Clear"/>).</summary>
    public FileDescriptor Descriptor => _eventfd;

    public void Ring() => Eventfd.Write(_eventfd, 1);

    /// <summary>Clears the rings without waiting.</summary>
    public void Clear() => Eventfd.TryRead(_eventfd, out _);

    /// <summary>Blocks until rung, then clears the rings.</summary>
    public void Wait()
    {
        _poller ??= new Poller(_eventfd);
        _poller.Wait(-1);
        Eventfd.TryRead(_eventfd, out _);
    }

    public void Dispose()
    {
        _poller?.Dispose();
        _eventfd.Dispose();
    }
}
