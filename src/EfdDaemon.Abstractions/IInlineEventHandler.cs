namespace EfdDaemon;

/// <summary>
/// An <see cref="IEventHandler"/> that may run on the daemon's reader thread, the fast path: no
/// queue, no thread handoff, the call made as soon as the event is read.
/// </summary>
/// <remarks>
/// <para>Opt in only when <see cref="Handle"/> completes in microseconds and never blocks: counting,
/// updating in-memory state, writing a value to an eventfd. Must not opt in: anything that does I/O
/// or can wait (logging to a sink that writes, files, sockets, pipes that can fill, exec, locks shared
/// with other threads, allocation-heavy work that can meet a garbage collection), since the reader
/// reads nothing else while the call runs and the call cannot be cancelled.</para>
/// <para>The daemon times every call on the reader thread's monotonic clock. The first call that
/// takes longer than the handler's budget (<c>Handlers:&lt;Name&gt;:InlineBudget</c>, default 20 µs;
/// 0 turns the fast path off) moves the handler to its own queue and thread for good, logged; from
/// then on it runs like any other handler, through <see cref="IEventHandler.HandleAsync"/>, which
/// calls <see cref="Handle"/>. Order is kept across the move. A call during which the reader lost
/// its CPU to the scheduler or to a garbage collection is not held against the handler.</para>
/// <para>An event is finished for this handler when <see cref="Handle"/> returns or throws; an
/// exception is logged and counted, as for <see cref="IEventHandler.HandleAsync"/>. The payload is
/// valid only during the call.</para>
/// </remarks>
public interface IInlineEventHandler : IEventHandler
{
    /// <summary>Handles one event, synchronously.</summary>
    /// <param name="kernelEvent">The event. Its <see cref="KernelEvent.Payload"/> is valid only during the call: copy it to keep it.</param>
    void Handle(KernelEvent kernelEvent);

    /// <inheritdoc />
    ValueTask IEventHandler.HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        Handle(kernelEvent);
        return ValueTask.CompletedTask;
    }
}
