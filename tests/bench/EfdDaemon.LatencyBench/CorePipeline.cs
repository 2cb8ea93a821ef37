using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EfdDaemon.LatencyBench;

/// <summary>
/// The daemon's own event path, built from its types as its host builds it: an <c>EventfdSource</c>
/// (the eventfd and the reader thread) started with an <c>EventDispatcher</c> (one queue and
/// consumer per handler) over the given handlers.
/// </summary>
/// <remarks>
/// Those types are internal to efd-daemon: reflection builds and starts them once, and nothing on
/// the measured path goes through reflection. Constructor parameters are filled by type, so a new
/// optional parameter does not break the benchmark.
/// </remarks>
internal sealed class CorePipeline : IDisposable
{
    private static readonly Assembly Core = Assembly.Load("efd-daemon");
    private readonly object _source;
    private readonly object _dispatcher;

    public CorePipeline(IReadOnlyList<IEventHandler> handlers, bool semaphore)
    {
        Type sourceType = CoreType("EfdDaemon.Events.EventfdSource");
        Type dispatcherType = CoreType("EfdDaemon.Events.EventDispatcher");
        // The reader's daemon-wide figures (received, kernel losses, commits); the handlers' own are per queue.
        object counters = Activator.CreateInstance(CoreType("EfdDaemon.Events.DeliveryCounters"), nonPublic: true)!;
        object metrics = Activator.CreateInstance(CoreType("EfdDaemon.Metrics.EfdMetrics"), BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, [null], null)!;
        object mode = Enum.Parse(CoreType("EfdDaemon.Events.EventfdMode"), semaphore ? "Semaphore" : "Counter");
        // The dispatcher records call durations into the meter's histogram, as in the daemon.
        object duration = metrics.GetType().GetProperty("HandlerDuration")!.GetValue(metrics)!;
        object?[] known = [handlers, TimeProvider.System, NullLogger.Instance, counters, metrics, duration, mode];
        _dispatcher = Construct(dispatcherType, known);
        _source = Construct(sourceType, known);
        EventfdNumber = (int)sourceType.GetProperty("EventfdNumber")!.GetValue(_source)!;
        dispatcherType.GetMethod("Start", Type.EmptyTypes)!.Invoke(_dispatcher, null);
        Action<Exception> onFault = static e => Console.Error.WriteLine($"reader failed: {e}");
        sourceType.GetMethod("Start")!.Invoke(_source, [_dispatcher, onFault]);
    }

    /// <summary>Gets this process's descriptor of the daemon's eventfd (what the run file <c>efd</c> holds).</summary>
    public int EventfdNumber { get; }

    public void Dispose()
    {
        _source.GetType().GetMethod("Stop")!.Invoke(_source, null);
        ((IDisposable)_source).Dispose();
        ((IDisposable)_dispatcher).Dispose();
    }

    private static Type CoreType(string name) => Core.GetType(name, throwOnError: true)!;

    private static object Construct(Type type, object?[] known)
    {
        ConstructorInfo ctor = type.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .OrderByDescending(c => c.GetParameters().Length).First();
        object?[] args = [.. ctor.GetParameters().Select(p =>
            known.FirstOrDefault(k => k is not null && p.ParameterType.IsInstanceOfType(k))
            ?? (p.ParameterType == typeof(ILogger) ? NullLogger.Instance : null)
            ?? (p.HasDefaultValue ? p.DefaultValue : null))];
        return ctor.Invoke(args);
    }
}
