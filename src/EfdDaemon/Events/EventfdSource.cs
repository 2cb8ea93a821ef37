using EfdDaemon.Interop;
using EfdDaemon.Kernel;
using EfdDaemon.Metrics;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Events;

/// <summary>
/// Owns the daemon's eventfd and the reader thread: poll(eventfd, record device, stop eventfd),
/// then hand every record, or one <see cref="EventKind.Signal"/> per bare wake-up, to an <see cref="IEventSink"/>.
/// </summary>
/// <remarks>
/// Usable without the host: <c>new EventfdSource(EventfdMode.Counter, TimeProvider.System, logger)</c>,
/// <see cref="Start"/> with a sink, <see cref="Signal"/> to raise events, <see cref="Stop"/>.
/// </remarks>
internal sealed class EventfdSource : IDisposable
{
    private const int RecordsPerRead = 64;
    private const int MaxReadsPerWake = 64;

    private readonly FileDescriptor _eventfd;
    private readonly FileDescriptor _stopFd;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DispatchCounters _counters;
    private readonly EfdMetrics? _metrics;
    private readonly LogRateLimiter _gapLog;
    private FileDescriptor? _device;
    private Thread? _thread;
    private ulong _lastSequence;

    public EventfdSource(EventfdMode mode, TimeProvider timeProvider, ILogger logger, DispatchCounters? counters = null, EfdMetrics? metrics = null)
    {
        Mode = mode;
        _time = timeProvider;
        _logger = logger;
        _counters = counters ?? new DispatchCounters();
        _metrics = metrics;
        _gapLog = new LogRateLimiter(timeProvider, TimeSpan.FromSeconds(1));
        _eventfd = Eventfd.Create(semaphore: mode == EventfdMode.Semaphore);
        _stopFd = Eventfd.Create(semaphore: false);
        Log.EventfdCreated(logger, _eventfd.Number, mode);
    }

    public EventfdMode Mode { get; }

    /// <summary>Gets this process's descriptor number of the eventfd (the run file <c>efd</c>, <c>efd=</c> for the module).</summary>
    public int EventfdNumber => _eventfd.Number;

    /// <summary>Gets the counters this source adds to (received, sequence gaps).</summary>
    public DispatchCounters Counters => _counters;

    /// <summary>Gets whether the reader reads records from the module's device.</summary>
    public bool HasRecordDevice => _device is not null;

    /// <summary>Reads records from <paramref name="devicePath"/> (<c>/dev/efd_lkm</c>) from now on; call before <see cref="Start"/>.</summary>
    public void OpenRecordDevice(string devicePath)
    {
        _device = Fd.OpenReadNonBlocking(devicePath);
        Log.RecordDeviceOpened(_logger, devicePath);
    }

    /// <summary>Adds <paramref name="value"/> to the eventfd, as the module or <c>efdctl signal</c> would.</summary>
    public void Signal(ulong value = 1) => Eventfd.Write(_eventfd, value);

    /// <summary>Starts the reader thread. <paramref name="onFault"/> runs on it if it dies.</summary>
    public void Start(IEventSink sink, Action<Exception> onFault)
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("The reader is already running.");
        }

        _thread = new Thread(() => Run(sink, onFault)) { IsBackground = true, Name = "efd-reader" };
        _thread.Start();
    }

    /// <summary>Stops the reader thread and waits for it; events still in the eventfd stay there.</summary>
    public void Stop()
    {
        if (_thread is null)
        {
            return;
        }

        Eventfd.Write(_stopFd, 1);
        _thread.Join();
        _thread = null;
    }

    public void Dispose()
    {
        Stop();
        _device?.Dispose();
        _stopFd.Dispose();
        _eventfd.Dispose();
    }

    private void Run(IEventSink sink, Action<Exception> onFault)
    {
        try
        {
            Log.ReaderStarted(_logger, _eventfd.Number, _device is not null);
            ReadLoop(sink);
            Log.ReaderStopped(_logger);
        }
#pragma warning disable CA1031 // The reader thread must report any failure, then the app stops.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReaderFailed(_logger, ex);
            onFault(ex);
        }
    }

    private void ReadLoop(IEventSink sink)
    {
        const int Stop = 0, Counter = 1, Device = 2;
        byte[] buffer = new byte[EfdLkmRecord.Size * RecordsPerRead];
        using var poller = _device is null ? new Poller(_stopFd, _eventfd) : new Poller(_stopFd, _eventfd, _device);
        bool deviceOk = _device is not null;
        while (true)
        {
            poller.Wait(-1);
            if (poller.IsReadable(Stop))
            {
                return;
            }

            if (poller.IsReadable(Counter))
            {
                DrainEventfd(sink);
            }

            if (deviceOk && poller.HasFailed(Device))
            {
                Log.RecordDeviceFailed(_logger);
                poller.Ignore(Device);
                deviceOk = false;
            }

            if (deviceOk)
            {
                DrainDevice(sink, buffer);
            }

            sink.EndOfBatch();
        }
    }

    /// <summary>
    /// Reads the counter: once in counter mode (one read takes it all), until EAGAIN in semaphore
    /// mode (one unit per read) so a backlog costs one read per event, not a poll and a read.
    /// Bounded, so the stop eventfd is seen between batches. Without a record device every read is
    /// one <see cref="EventKind.Signal"/> event; with one, the counter is only the doorbell.
    /// </summary>
    private void DrainEventfd(IEventSink sink)
    {
        for (int i = 0; i < MaxReadsPerWake && Eventfd.TryRead(_eventfd, out ulong value); i++)
        {
            if (_device is null)
            {
                var record = EventRecord.FromSignal(value, _time.GetUtcNow());
                _counters.AddReceived(1);
                _metrics?.Received.Add(1);
                sink.Publish(in record);
            }

            if (Mode == EventfdMode.Counter)
            {
                return;
            }
        }
    }

    private void DrainDevice(IEventSink sink, byte[] buffer)
    {
        while (Fd.TryRead(_device!, buffer, "read(efd_lkm)", out int n) && n > 0)
        {
            DateTimeOffset now = _time.GetUtcNow();
            int records = n / EfdLkmRecord.Size;
            for (int i = 0; i < records; i++)
            {
                var raw = EfdLkmRecord.Read(buffer.AsSpan(i * EfdLkmRecord.Size, EfdLkmRecord.Size));
                NoteSequence(raw.Seq);
                var record = EventRecord.FromKernel(in raw, now);
                sink.Publish(in record);
            }

            _counters.AddReceived(records);
            _metrics?.Received.Add(records);
            sink.EndOfBatch();
            if (n < buffer.Length)
            {
                return;
            }
        }
    }

    private void NoteSequence(ulong seq)
    {
        // A lower number means the module was reloaded and counts from 1 again: not a gap.
        if (_lastSequence != 0 && seq > _lastSequence + 1)
        {
            long missing = (long)(seq - _lastSequence - 1);
            _counters.AddSequenceGap(missing);
            if (_gapLog.Add(missing, out long toLog))
            {
                Log.SequenceGap(_logger, toLog, seq);
            }
        }

        _lastSequence = seq;
    }
}
