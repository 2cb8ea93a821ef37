using EfdDaemon;
using Microsoft.Extensions.Logging;

namespace Sample;

/// <summary>Logs every TRIGGER and SIGNAL event it receives (<c>efdctl signal</c> raises one).</summary>
/// <remarks>
/// The daemon gives this handler its own queue and never calls <see cref="HandleAsync"/> concurrently.
/// <c>Handlers:SampleHandler</c> in the daemon's configuration can change its kinds, queue and timeout.
/// </remarks>
public sealed partial class SampleHandler(string label, ILogger<SampleHandler> logger) : IEventHandler
{
    private long _handled;

    public IReadOnlyCollection<EventKind>? Kinds => [EventKind.Trigger, EventKind.Signal];

    /// <summary>Gets the number of events handled so far.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _handled);
        LogEvent(label, EventKindNames.GetName(kernelEvent.Kind), kernelEvent.Sequence, kernelEvent.Count);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Information, "{Label}: {Kind} event {Sequence} (count {Count})")]
    private partial void LogEvent(string label, string kind, ulong sequence, ulong count);
}
