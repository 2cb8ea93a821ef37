using EfdDaemon.Events;
using EfdDaemon.Interop;
using EfdDaemon.Kernel;
using EfdDaemon.Metrics;
using EfdDaemon.RunFiles;
using EfdDaemon.Sysfs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Hosting;

/// <summary>
/// Brings the pipeline up in order (eventfd, module attached, run files, consumers, reader) so that
/// systemd's READY=1, sent after every StartAsync, means all of it is true; and down in reverse.
/// </summary>
internal sealed class DaemonService(
    EventfdSource source,
    EventDispatcher dispatcher,
    IKernelModuleLoader moduleLoader,
    KindCatalog kinds,
    KindNameCheck kindNames,
    EfdMetrics metrics,
    IOptions<DaemonOptions> daemonOptions,
    IOptions<ModuleOptions> moduleOptions,
    DaemonInfo info,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DaemonService> logger) : IHostedService
{
    private readonly RunFilePublisher _runFiles = new(daemonOptions.Value.RunDirectory);
    private bool _published;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.Starting(logger, info.Version, info.Pid, info.ConfigDirectory);
        ModuleOptions module = moduleOptions.Value;
        metrics.Observe(source.Counters, dispatcher.Snapshot, () => module.Enabled ? moduleLoader.ReadFigures() : null);
        if (module.Enabled)
        {
            ModuleFigures figures = moduleLoader.Attach(info.Pid, source.EventfdNumber);
            OpenRecordDevice(module.DevicePath, figures);
        }
        else
        {
            Log.ModuleDisabled(logger);
        }

        try
        {
            _runFiles.Publish(info.Pid, source.EventfdNumber);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Cannot write the run files in {daemonOptions.Value.RunDirectory}: {ex.Message}", ex);
        }

        kindNames.Check();
        _published = true;
        Log.RunFilesWritten(logger, daemonOptions.Value.RunDirectory, info.Pid, source.EventfdNumber);
        dispatcher.Start();
        source.Start(dispatcher, OnReaderFault);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Log.Stopping(logger);

        // Joining the reader and the consumers blocks: keep it off the caller's thread.
        (int undelivered, SeqRange unfinished) = await Task.Run(() =>
        {
            source.Stop();
            int left = dispatcher.Drain(daemonOptions.Value.ShutdownTimeout, time);
            return (left, source.CommitFinished(dispatcher));
        }, CancellationToken.None).ConfigureAwait(false);
        if (unfinished.Count > 0)
        {
            Log.ShutdownUnfinished(logger, unfinished.Count, unfinished.Describe());
        }

        dispatcher.LogFinalCounters();
        DeliveryCounters c = source.Counters;
        ModuleFigures? figures = moduleLoader.ReadFigures();
        Log.FinalCounters(logger, c.Received, c.Redelivered, dispatcher.Dispatched, dispatcher.Dropped, c.KernelLost, undelivered,
            c.Committed, figures?.Dropped ?? 0, figures?.DroppedInflight ?? 0);
        if (_published)
        {
            _runFiles.Remove();
            Log.RunFilesRemoved(logger, daemonOptions.Value.RunDirectory);
        }
    }

    private void OpenRecordDevice(string devicePath, ModuleFigures figures)
    {
        if (!File.Exists(devicePath))
        {
            return;
        }

        // An ABI 1 module (still loaded after an upgrade, warning 3004) only offers plain delivery.
        bool acknowledged = figures.AbiVersion >= EfdLkmRecord.AbiVersion;
        try
        {
            kinds.Refresh();
            source.OpenRecordDevice(devicePath, acknowledged, figures.RingSize ?? moduleOptions.Value.RingSize, (ulong)Math.Max(0, figures.Committed ?? 0), kinds);
        }
        catch (ErrnoException ex) when (ex.Errno == Errno.EBUSY)
        {
            throw new StartupException($"{devicePath} is held open by another reader (EBUSY): is another efd-daemon running?", ex);
        }
        catch (ErrnoException ex)
        {
            throw new StartupException($"Cannot open {devicePath}: {ex.Message}", ex);
        }
    }

    private void OnReaderFault(Exception exception)
    {
        Environment.ExitCode = DaemonExitCodes.InternalError;
        lifetime.StopApplication();
    }
}
