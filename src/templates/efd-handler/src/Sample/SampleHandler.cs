using EfdDaemon;
using Microsoft.Extensions.Logging;

namespace Sample;

/// <summary>Logs every TRIGGER and SIGNAL event it receives (<c>efdctl signal</c> raises one), and NETDEV interfaces coming up.</summary>
/// <remarks>
/// The daemon gives this handler its own queue and never calls <see cref="HandleAsync"/> concurrently.
/// <c>Handlers:SampleHandler</c> in the daemon's configuration can change its kinds, queue and timeout.
/// Payloads are read in place through typed views (<see cref="KernelEvent.TryGetTrigger"/>,
/// <see cref="KernelEvent.TryGetNetdev"/>, …) or, for a kind another module registered, by field name
/// (<see cref="KernelEvent.TryGetField(ReadOnlySpan{char}, out FieldValue)"/>): neither allocates.
/// </remarks>
public sealed partial class SampleHandler(string label, ILogger<SampleHandler> logger) : IEventHandler
{
    private long _handled;

    public IReadOnlyCollection<EventKind>? Kinds => [EventKind.Trigger, EventKind.Signal, EventKind.Netdev];

    /// <summary>Gets the number of interfaces seen coming up.</summary>
    public long InterfacesUp => Interlocked.Read(ref _interfacesUp);

    private long _interfacesUp;

    /// <summary>Gets the number of events handled so far.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _handled);
        if (kernelEvent.TryGetNetdev(out NetdevPayload netdev))
        {
            if (netdev.Event == NetdevEvent.Up)
            {
                Interlocked.Increment(ref _interfacesUp);
                LogInterfaceUp(label, netdev.InterfaceName.ToString(), netdev.InterfaceIndex);
            }
        }
        else
        {
            LogEvent(label, kernelEvent.KindName, kernelEvent.Sequence, kernelEvent.Count);
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Information, "{Label}: {Kind} event {Sequence} (count {Count})")]
    private partial void LogEvent(string label, string kind, ulong sequence, ulong count);

    [LoggerMessage(2, LogLevel.Information, "{Label}: interface {Interface} (index {InterfaceIndex}) is up")]
    private partial void LogInterfaceUp(string label, string @interface, uint interfaceIndex);
}
