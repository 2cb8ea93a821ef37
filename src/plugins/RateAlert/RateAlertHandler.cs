using Microsoft.Extensions.Logging;

namespace EfdDaemon.Plugins.RateAlert;

/// <summary>
/// Counts events per kind over a sliding window and logs one warning when a kind's count rises
/// above the threshold, and one line when it falls back to it or below.
/// </summary>
/// <remarks>
/// The window is cut into <see cref="Buckets"/> buckets, so the count is exact to a bucket's width
/// and an event costs no allocation. The daemon never calls <see cref="HandleAsync"/> concurrently
/// for one handler, so the counters need no lock.
/// </remarks>
public sealed partial class RateAlertHandler : IEventHandler
{
    public const int Buckets = 10;

    private readonly RateAlertOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _bucketTicks;
    private readonly Dictionary<EventKind, KindWindow> _windows = [];

    public RateAlertHandler(RateAlertOptions options, ILogger<RateAlertHandler> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _time = time;
        _bucketTicks = Math.Max(1, options.Window.Ticks / Buckets);
    }

    public string Name => "RateAlert";

    public IReadOnlyCollection<EventKind>? Kinds => _options.Kinds;

    /// <summary>Gets the number of events of <paramref name="kind"/> in the current window.</summary>
    public int CountInWindow(EventKind kind) =>
        _windows.TryGetValue(kind, out KindWindow? w) ? w.Count(CurrentBucket()) : 0;

    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        if (!_windows.TryGetValue(kernelEvent.Kind, out KindWindow? window))
        {
            window = new KindWindow();
            _windows.Add(kernelEvent.Kind, window);
        }

        long bucket = CurrentBucket();
        window.Add(bucket);
        int count = window.Count(bucket);
        if (!window.Alerting && count > _options.Threshold)
        {
            window.Alerting = true;
            LogRateHigh(kernelEvent.KindName, count, _options.Window, _options.Threshold);
        }
        else if (window.Alerting && count <= _options.Threshold)
        {
            window.Alerting = false;
            LogRateNormal(kernelEvent.KindName, count, _options.Window);
        }

        return ValueTask.CompletedTask;
    }

    private long CurrentBucket() => _time.GetUtcNow().UtcTicks / _bucketTicks;

    [LoggerMessage(1, LogLevel.Warning, "{Kind} events: {Count} within {Window}, above the threshold of {Threshold}")]
    private partial void LogRateHigh(string kind, int count, TimeSpan window, int threshold);

    [LoggerMessage(2, LogLevel.Information, "{Kind} events: {Count} within {Window}, back at or below the threshold")]
    private partial void LogRateNormal(string kind, int count, TimeSpan window);

    /// <summary>One kind's counts per bucket, in a ring indexed by bucket number.</summary>
    private sealed class KindWindow
    {
        private readonly int[] _counts = new int[Buckets];
        private readonly long[] _bucketOf = new long[Buckets];

        public bool Alerting { get; set; }

        public void Add(long bucket)
        {
            int slot = (int)(bucket % Buckets);
            if (_bucketOf[slot] != bucket)
            {
                _bucketOf[slot] = bucket;
                _counts[slot] = 0;
            }

            _counts[slot]++;
        }

        public int Count(long currentBucket)
        {
            int total = 0;
            for (int i = 0; i < Buckets; i++)
            {
                if (currentBucket - _bucketOf[i] < Buckets)
                {
                    total += _counts[i];
                }
            }

            return total;
        }
    }
}
