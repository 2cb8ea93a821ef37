using EfdDaemon.Events;
using EfdDaemon.Interop;
using EfdDaemon.Kernel;
using EfdDaemon.Metrics;
using EfdDaemon.RunFiles;
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
        if (module.Enabled)
        {
            moduleLoader.Attach(info.Pid, source.EventfdNumber);
            OpenRecordDevice(module.DevicePath);
            metrics.SetKernelDroppedSource(() => moduleLoader.ReadFigures()?.Dropped);
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
        int undelivered = await Task.Run(() =>
        {
            source.Stop();
            return dispatcher.Drain(daemonOptions.Value.ShutdownTimeout, time);
        }, CancellationToken.None).ConfigureAwait(false);
        dispatcher.LogFinalCounters();
        DispatchCounters c = dispatcher.Counters;
        Log.FinalCounters(logger, c.Received, c.Dispatched, c.Dropped, c.SequenceGaps, undelivered,
            moduleLoader.ReadFigures()?.Dropped ?? 0);
        if (_published)
        {
            _runFiles.Remove();
            Log.RunFilesRemoved(logger, daemonOptions.Value.RunDirectory);
        }
    }

    private void OpenRecordDevice(string devicePath)
    {
        if (!File.Exists(devicePath))
        {
            return;
        }

        try
        {
            source.OpenRecordDevice(devicePath);
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
