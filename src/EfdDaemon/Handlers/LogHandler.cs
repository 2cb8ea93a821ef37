using System.Globalization;
using EfdDaemon.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Handlers;

/// <summary>
/// The built-in handler: one log line (a journal entry with EFD_KIND, EFD_SEQ, …) per event. Above
/// <c>LogHandler:SummaryThresholdPerSecond</c> events in one second, the rest of that second is
/// counted and reported as one summary line per kind, instead of losing lines to journald's rate limit.
/// </summary>
internal sealed class LogHandler : IEventHandler, IConfigReloadable, IDisposable
{
    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<EventKind, long> _suppressed = [];
    private readonly ITimer _flushTimer;
    private int _threshold;
    private long _second = long.MinValue;
    private int _countThisSecond;

    public LogHandler(ILogger<LogHandler> logger, IOptions<LogHandlerOptions> options, TimeProvider time)
    {
        _logger = logger;
        _time = time;
        _threshold = options.Value.SummaryThresholdPerSecond;

        // One-shot, armed only while a summary is pending: an idle daemon has no timer.
        _flushTimer = time.CreateTimer(static s => ((LogHandler)s!).Flush(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string Name => nameof(LogHandler);

    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        long second = now.ToUnixTimeSeconds();
        lock (_lock)
        {
            if (second != _second)
            {
                FlushLocked();
                _second = second;
                _countThisSecond = 0;
            }

            if (++_countThisSecond <= _threshold)
            {
                if (kernelEvent.Redelivered)
                {
                    Log.RedeliveredEvent(_logger, EventKindNames.GetName(kernelEvent.Kind), kernelEvent.Sequence, kernelEvent.Count, 1, Describe(kernelEvent));
                }
                else
                {
                    Log.Event(_logger, EventKindNames.GetName(kernelEvent.Kind), kernelEvent.Sequence, kernelEvent.Count, Describe(kernelEvent));
                }

                return ValueTask.CompletedTask;
            }

            if (_suppressed.Count == 0)
            {
                TimeSpan untilNextSecond = DateTimeOffset.FromUnixTimeSeconds(second + 1) - now;
                _flushTimer.Change(untilNextSecond, Timeout.InfiniteTimeSpan);
            }

            _suppressed[kernelEvent.Kind] = _suppressed.GetValueOrDefault(kernelEvent.Kind) + 1;
        }

        return ValueTask.CompletedTask;
    }

    public IReadOnlyList<string> Validate(IConfiguration configuration)
    {
        var options = new LogHandlerOptions();
        configuration.GetSection(LogHandlerOptions.SectionName).Bind(options);
        ValidateOptionsResult result = new LogHandlerOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures.Select(f => $"{LogHandlerOptions.SectionName}: {f}")] : [];
    }

    public void Apply(IConfiguration configuration)
    {
        var options = new LogHandlerOptions();
        configuration.GetSection(LogHandlerOptions.SectionName).Bind(options);
        Volatile.Write(ref _threshold, options.SummaryThresholdPerSecond);
    }

    public void Dispose()
    {
        _flushTimer.Dispose();
        Flush();
    }

    internal static string Describe(in KernelEvent e)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return e.Kind switch
        {
            EventKind.Signal => string.Create(c, $"signal count={e.Count}"),
            EventKind.Attached when e.Payload.Length >= 8 => string.Create(c, $"attached pid={e.GetAttached().Pid} fd={e.GetAttached().Fd}"),
            EventKind.Trigger when e.Payload.Length >= 8 => string.Create(c, $"trigger {e.GetTrigger().Index}/{e.GetTrigger().Batch}"),
            EventKind.Netdev when e.Payload.Length >= 28 => DescribeNetdev(e),
            EventKind.Module when e.Payload.Length >= 60 => string.Create(c, $"module {e.GetModule().ModuleName} state={e.GetModule().State}"),
            EventKind.Tick when e.Payload.Length >= 8 => string.Create(c, $"tick {e.GetTick()}"),
            _ => string.Create(c, $"payload {Convert.ToHexString(e.Payload.Span)}"),
        };
    }

    private static string DescribeNetdev(in KernelEvent e)
    {
        (string name, uint index, uint ev, uint flags) = e.GetNetdev();
        string what = ev switch { 1 => "UP", 2 => "DOWN", 4 => "CHANGE", _ => ev.ToString(CultureInfo.InvariantCulture) };
        return string.Create(CultureInfo.InvariantCulture, $"netdev {name} ifindex={index} {what} flags=0x{flags:x}");
    }

    private void Flush()
    {
        lock (_lock)
        {
            FlushLocked();
        }
    }

    private void FlushLocked()
    {
        if (_suppressed.Count == 0)
        {
            return;
        }

        DateTimeOffset since = DateTimeOffset.FromUnixTimeSeconds(_second);
        foreach ((EventKind kind, long count) in _suppressed.OrderBy(p => p.Key))
        {
            Log.EventSummary(_logger, EventKindNames.GetName(kind), count, since, _threshold);
        }

        _suppressed.Clear();
    }
}
