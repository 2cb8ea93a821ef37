using System.Diagnostics.Metrics;

namespace EfdDaemon.Metrics;

/// <summary>The <c>EfdDaemon</c> meter and its instruments (src/EfdDaemon/INTERFACES.md).</summary>
internal sealed class EfdMetrics : IDisposable
{
    public const string MeterName = "EfdDaemon";

    private readonly Meter _meter;
    private Func<long?> _kernelDropped = static () => null;

    public EfdMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Received = _meter.CreateCounter<long>("efd.events.received", "{event}", "Events read from the eventfd or the record device.");
        Dispatched = _meter.CreateCounter<long>("efd.events.dispatched", "{event}", "Events queued to a handler.");
        Dropped = _meter.CreateCounter<long>("efd.events.dropped", "{event}", "Events dropped because a handler's queue was full.");
        HandlerDuration = _meter.CreateHistogram<double>("efd.handler.duration", "s", "Time spent in IEventHandler.HandleAsync.");
        Failures = _meter.CreateCounter<long>("efd.handler.failures", "{event}", "Handler calls that threw.");
        Timeouts = _meter.CreateCounter<long>("efd.handler.timeouts", "{event}", "Handler calls cancelled after their timeout.");
        _meter.CreateObservableCounter(
            "efd.kernel.dropped",
            () => _kernelDropped() is long v ? new[] { new Measurement<long>(v) } : [],
            "{record}",
            "Records the module overwrote before the daemon read them (sysfs dropped).");
    }

    public Counter<long> Received { get; }

    public Counter<long> Dispatched { get; }

    public Counter<long> Dropped { get; }

    public Histogram<double> HandlerDuration { get; }

    public Counter<long> Failures { get; }

    public Counter<long> Timeouts { get; }

    /// <summary>Sets where <c>efd.kernel.dropped</c> reads from (the module's sysfs figures).</summary>
    public void SetKernelDroppedSource(Func<long?> source) => _kernelDropped = source;

    public void Dispose() => _meter.Dispose();
}
