namespace EfdDaemon;

/// <summary>
/// Receives kernel events from efd-daemon. Register an implementation with
/// <see cref="EventHandlerServiceCollectionExtensions.AddEventHandler{THandler}(Microsoft.Extensions.DependencyInjection.IServiceCollection)"/>.
/// </summary>
/// <remarks>
/// Each handler has its own bounded queue and consumer: calls to <see cref="HandleAsync"/> for one
/// handler never overlap and arrive in sequence order. By default (<c>Handlers:&lt;Name&gt;:FullQueuePolicy</c>
/// <c>Lossless</c>) a full queue makes the daemon stop reading and the kernel keep the backlog, and an
/// event counts as delivered only once every handler has finished it: an event read but unfinished
/// when the daemon dies comes back with <see cref="KernelEvent.Redelivered"/> set. A slow handler
/// holds the others back for at most its <c>MaxStall</c>, then loses events (counted) until it
/// catches up. An exception is logged with <see cref="Name"/> and counted, and the handler keeps
/// receiving events. A call that outlives the handler's timeout (<c>Handlers:&lt;Name&gt;:Timeout</c>)
/// has its <see cref="CancellationToken"/> cancelled and is counted as a timeout; a handler that
/// ignores the cancellation for another timeout is quarantined until the daemon restarts.
/// </remarks>
public interface IEventHandler
{
    /// <summary>Gets the handler's name: its configuration section <c>Handlers:&lt;Name&gt;</c>, and the <c>HANDLER</c> field of its log entries.</summary>
    /// <remarks>Defaults to the type name. Names must be unique within one daemon.</remarks>
    string Name => GetType().Name;

    /// <summary>Gets the kinds this handler wants, or <see langword="null"/> for every kind.</summary>
    /// <remarks>The dispatcher queues only these; configuration (<c>Handlers:&lt;Name&gt;:Kinds</c>) may narrow or replace the set.</remarks>
    IReadOnlyCollection<EventKind>? Kinds => null;

    /// <summary>Gets the names of registered kinds this handler wants besides <see cref="Kinds"/> (<c>usb.device</c>), or <see langword="null"/>.</summary>
    /// <remarks>
    /// A registered kind's number changes with every load of efd_lkm, so select it by name. A name
    /// not registered yet is kept and matches once a module registers it. Ignored while
    /// <see cref="Kinds"/> is <see langword="null"/> (every kind already).
    /// </remarks>
    IReadOnlyCollection<string>? RegisteredKinds => null;

    /// <summary>Handles one event.</summary>
    /// <param name="kernelEvent">The event. Its <see cref="KernelEvent.Payload"/> is valid only until the returned task completes: copy it to keep it.</param>
    /// <param name="cancellationToken">Cancelled when the handler's timeout elapses or the daemon stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken);
}
