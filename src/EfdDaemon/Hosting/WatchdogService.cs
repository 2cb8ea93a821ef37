using System.Globalization;
using EfdDaemon.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Hosting;

/// <summary>
/// Sends WATCHDOG=1 at half of <c>WATCHDOG_USEC</c>, from ApplicationStarted on (after READY=1), but
/// only while the reader loop is responsive: waiting in poll (for events, or for room under
/// back-pressure) or past another batch since the last tick. A reader stuck anywhere else misses
/// its ticks, and systemd restarts the daemon. Without <c>WATCHDOG_USEC</c>, or outside systemd,
/// there is no timer at all.
/// </summary>
internal sealed class WatchdogService(
    EventfdSource source, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<WatchdogService> logger, ISystemdNotifier? notifier = null)
    : IHostedService, IDisposable
{
    private static readonly ServiceState Watchdog = new("WATCHDOG=1");

    private ITimer? _timer;
    private CancellationTokenRegistration _started;
    private long _readerPasses = -1;
    private bool _missed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (notifier is null || !notifier.IsEnabled || GetInterval(Environment.GetEnvironmentVariable) is not { } interval)
        {
            return Task.CompletedTask;
        }

        _started = lifetime.ApplicationStarted.Register(() =>
        {
            Log.WatchdogEnabled(logger, interval);
            _timer = time.CreateTimer(static s => ((WatchdogService)s!).Tick(), this, interval, interval);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _started.Dispose();
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>Half of <c>WATCHDOG_USEC</c> when it is set for this process (<c>WATCHDOG_PID</c> absent or ours).</summary>
    internal static TimeSpan? GetInterval(Func<string, string?> environment)
    {
        if (environment("WATCHDOG_PID") is { Length: > 0 } pid && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return ulong.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec / 2.0)
            : null;
    }

    private void Tick()
    {
        if (source.IsResponsive(ref _readerPasses))
        {
            _missed = false;
            notifier!.Notify(Watchdog);
        }
        else if (!_missed)
        {
            _missed = true;
            Log.WatchdogWithheld(logger);
        }
    }
}
