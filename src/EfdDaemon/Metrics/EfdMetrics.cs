using System.Diagnostics.Metrics;
using EfdDaemon.Events;
using EfdDaemon.Sysfs;

namespace EfdDaemon.Metrics;

/// <summary>
/// The <c>EfdDaemon</c> meter (src/EfdDaemon/INTERFACES.md). Every count is observed from the one
/// place it is kept (<see cref="DeliveryCounters"/>, each handler's <see cref="HandlerCounters"/>,
/// the module's sysfs figures): nothing on the event path adds to an instrument but the call-duration histogram.
/// </summary>
internal sealed class EfdMetrics : IDisposable
{
    public const string MeterName = "EfdDaemon";

    private static readonly LossHop[] HandlerHops = [LossHop.Policy, LossHop.Timeout, LossHop.Quarantine, LossHop.Demotion];

    private readonly Meter _meter;
    private DeliveryCounters? _counters;
    private Func<IReadOnlyList<HandlerSnapshot>> _handlers = static () => [];
    private Func<ModuleFigures?> _module = static () => null;

    public EfdMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        HandlerDuration = _meter.CreateHistogram<double>("efd.handler.duration", "s", "Time spent in IEventHandler.HandleAsync.");
        _meter.CreateObservableCounter("efd.events.received", () => _counters?.Received ?? 0, "{event}", "Events read from the record device or the eventfd.");
        _meter.CreateObservableCounter("efd.events.redelivered", () => _counters?.Redelivered ?? 0, "{event}", "Records redelivered after an earlier run died before finishing them.");
        _meter.CreateObservableCounter("efd.events.committed", () => (long)(_counters?.Committed ?? 0), "{event}", "The highest sequence number committed to the module.");
        _meter.CreateObservableCounter("efd.events.dispatched", () => PerHandler(static c => c.Queued), "{event}", "Events queued to a handler.");
        _meter.CreateObservableCounter("efd.handler.handled", () => PerHandler(static c => c.Handled), "{event}", "Handler calls that ended (returned, threw or were cancelled).");
        _meter.CreateObservableCounter("efd.handler.failures", () => PerHandler(static c => c.Failures), "{event}", "Handler calls that threw.");
        _meter.CreateObservableCounter("efd.handler.demotions", () => PerHandler(static c => c.Demotions), "{demotion}", "Lossless handlers demoted after holding the reader back past MaxStall.");
        _meter.CreateObservableCounter("efd.events.lost", ObserveLosses, "{event}", "Events lost, by hop: kernel, inflight, policy, timeout, quarantine, demotion, listener.");
    }

    /// <summary>Gets the meter (tests collect its instruments by name).</summary>
    public Meter Meter => _meter;

    public Histogram<double> HandlerDuration { get; }

    /// <summary>Sets what the observable instruments read: the daemon's counters, the handlers, the module's figures.</summary>
    public void Observe(DeliveryCounters counters, Func<IReadOnlyList<HandlerSnapshot>> handlers, Func<ModuleFigures?> module)
    {
        _counters = counters;
        _handlers = handlers;
        _module = module;
    }

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Hop(LossHop hop) => new("hop", hop.ToString().ToLowerInvariant());

    private List<Measurement<long>> PerHandler(Func<HandlerCounters, long> figure) =>
        [.. _handlers().Select(h => new Measurement<long>(figure(h.Counters), new KeyValuePair<string, object?>("handler", h.Name)))];

    private List<Measurement<long>> ObserveLosses()
    {
        var m = new List<Measurement<long>>();
        if (_counters is { } c)
        {
            m.Add(new Measurement<long>(c.KernelLost, Hop(LossHop.Kernel)));
            m.Add(new Measurement<long>(c.ListenerSkipped, Hop(LossHop.Listener)));
        }

        if (_module()?.DroppedInflight is long inflight)
        {
            m.Add(new Measurement<long>(inflight, Hop(LossHop.InFlight)));
        }

        foreach (HandlerSnapshot h in _handlers())
        {
            foreach (LossHop hop in HandlerHops)
            {
                m.Add(new Measurement<long>(h.Counters.Lost(hop), Hop(hop), new KeyValuePair<string, object?>("handler", h.Name)));
            }
        }

        return m;
    }
}
