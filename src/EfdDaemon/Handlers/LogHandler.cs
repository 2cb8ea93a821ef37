using System.Globalization;
using EfdDaemon.Configuration;
using EfdDaemon.Events;
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
    private readonly Dictionary<EventKind, (string Name, long Count)> _suppressed = [];
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
                LogEvent(kernelEvent);

                return ValueTask.CompletedTask;
            }

            if (_suppressed.Count == 0)
            {
                TimeSpan untilNextSecond = DateTimeOffset.FromUnixTimeSeconds(second + 1) - now;
                _flushTimer.Change(untilNextSecond, Timeout.InfiniteTimeSpan);
            }

            _suppressed[kernelEvent.Kind] = (kernelEvent.KindName, _suppressed.GetValueOrDefault(kernelEvent.Kind).Count + 1);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>One entry per event; its fields ride a scope, so the journal gets EFD_F_&lt;NAME&gt; for each (Events/EventFields.cs).</summary>
    private void LogEvent(in KernelEvent e)
    {
        var fields = new List<KeyValuePair<string, object>>(8);
        string details = EventFields.Describe(in e, fields);
        using IDisposable? scope = fields.Count > 0 ? _logger.BeginScope(fields) : null;
        if (e.Redelivered)
        {
            Log.RedeliveredEvent(_logger, e.KindName, e.Sequence, e.Count, 1, details);
        }
        else
        {
            Log.Event(_logger, e.KindName, e.Sequence, e.Count, details);
        }
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
        foreach ((EventKind _, (string name, long count)) in _suppressed.OrderBy(p => p.Key))
        {
            Log.EventSummary(_logger, name, count, since, _threshold);
        }

        _suppressed.Clear();
    }
}
