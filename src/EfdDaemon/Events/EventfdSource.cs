using EfdDaemon.Interop;
using EfdDaemon.Kernel;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Events;

/// <summary>
/// Owns the daemon's eventfd and the reader thread: poll(completion and stop, eventfd, record device),
/// then hand every record, or one <see cref="EventKind.Signal"/> per bare wake-up, to an <see cref="IEventSink"/>.
/// </summary>
/// <remarks>
/// <para>Usable without the host: <c>new EventfdSource(EventfdMode.Counter, TimeProvider.System, logger)</c>,
/// <see cref="Start"/> with a sink, <see cref="Signal"/> to raise events, <see cref="Stop"/>.</para>
/// <para>Lossless delivery (contract 4 of DESIGN.md): the reader never reads more than the sink's
/// <see cref="IDeliveryFlow.Room"/>, nor more than the device's window of unfinished records; when
/// either is 0 it stops watching the eventfd and the device (the eventfd counter or the module's
/// ring holds the backlog) and waits on its completion signal, which the handlers ring when room
/// frees. With an acknowledged device it commits, after every batch and every completion, the
/// highest <c>seq</c> below which every handler has finished.</para>
/// </remarks>
internal sealed class EventfdSource : IDisposable
{
    private const int RecordsPerRead = 64;
    private const int MaxReadsPerWake = 64;
    // The completion doorbell also carries the stop request (_stopping): one descriptor fewer in
    // every poll, which costs each descriptor a wait-queue entry added and removed per sleep.
    private const int WakeIndex = 0, CounterIndex = 1, DeviceIndex = 2;

    private readonly FileDescriptor _eventfd;
    private readonly Doorbell _completion = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DeliveryCounters _counters;
    private readonly BurstLog _gapLog;
    private readonly BurstLog _redeliveredLog;
    private readonly ITimer _stallTimer;
    private RecordDevice? _device;
    private Thread? _thread;
    private ulong _lastSequence;
    private long _passes;
    private bool _waiting;
    private bool _running;
    private bool _heldBack;
    private bool _stopping;
    private RereadPolicy _rereads;
    private KindCatalog? _kinds;

    public EventfdSource(EventfdMode mode, TimeProvider timeProvider, ILogger logger, DeliveryCounters? counters = null)
    {
        Mode = mode;
        _time = timeProvider;
        _logger = logger;
        _counters = counters ?? new DeliveryCounters();
        _gapLog = new BurstLog(timeProvider, b => Log.KernelLost(logger, b.Count, b.Describe(), _counters.KernelLost));
        _redeliveredLog = new BurstLog(timeProvider, b => Log.Redelivered(logger, b.Count, b.Describe()));
        _stallTimer = timeProvider.CreateTimer(static s => ((Doorbell)s!).Ring(), _completion, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _eventfd = Eventfd.Create(semaphore: mode == EventfdMode.Semaphore);
        Log.EventfdCreated(logger, _eventfd.Number, mode);
    }

    public EventfdMode Mode { get; }

    /// <summary>Gets this process's descriptor number of the eventfd (the run file <c>efd</c>, <c>efd=</c> for the module).</summary>
    public int EventfdNumber => _eventfd.Number;

    /// <summary>Gets the counters this source adds to (received, redelivered, kernel losses, committed).</summary>
    public DeliveryCounters Counters => _counters;

    /// <summary>Gets whether the reader reads records from the module's device.</summary>
    public bool HasRecordDevice => _device is not null;

    /// <summary>Gets whether the reader is held back: the handlers' room or the device's window is exhausted, and it waits for them.</summary>
    public bool IsHeldBack => Volatile.Read(ref _heldBack);

    /// <summary>Gets the device the reader reads, if any (its window and commit figures).</summary>
    public RecordDevice? Device => _device;

    /// <summary>
    /// Reads records from <paramref name="devicePath"/> (<c>/dev/efd_lkm</c>) from now on; call before <see cref="Start"/>.
    /// With <paramref name="acknowledged"/> (an ABI 2 module) it opts into acknowledged delivery.
    /// </summary>
    /// <param name="devicePath">The device.</param>
    /// <param name="acknowledged">Opt into acknowledged delivery.</param>
    /// <param name="ringSize">The module's <c>ring_size</c>.</param>
    /// <param name="committed">The module's <c>committed</c> before the open: a first record past it means records were overwritten meanwhile.</param>
    /// <param name="kinds">Where records' formats come from; without it, only built-in kinds have one.</param>
    public void OpenRecordDevice(string devicePath, bool acknowledged = false, long ringSize = ModuleOptions.DefaultRingSize, ulong committed = 0, KindCatalog? kinds = null)
    {
        _kinds = kinds;
        _device = RecordDevice.Open(devicePath, acknowledged, ringSize, committed);
        _lastSequence = committed;
        Log.RecordDeviceOpened(_logger, devicePath);
        if (acknowledged)
        {
            Log.AcknowledgedDelivery(_logger, devicePath, _device.Window, ringSize);
        }
    }

    /// <summary>Reads records from <paramref name="device"/> from now on (tests); call before <see cref="Start"/>.</summary>
    public void UseRecordDevice(RecordDevice device, KindCatalog? kinds = null)
    {
        _kinds = kinds;
        _device = device;
        _lastSequence = device.Committed;
    }

    /// <summary>Adds <paramref name="value"/> to the eventfd, as the module or <c>efdctl signal</c> would.</summary>
    public void Signal(ulong value = 1) => Eventfd.Write(_eventfd, value);

    /// <summary>
    /// Tells whether the reader loop is responsive: waiting in poll (for events, or for room under
    /// back-pressure), or past another batch since the last call. The watchdog's question.
    /// </summary>
    /// <param name="lastPasses">The caller's memory of the reader's progress, updated.</param>
    public bool IsResponsive(ref long lastPasses)
    {
        if (!Volatile.Read(ref _running))
        {
            return false;
        }

        long passes = Volatile.Read(ref _passes);
        bool moved = passes != lastPasses;
        lastPasses = passes;
        return moved || Volatile.Read(ref _waiting);
    }

    /// <summary>Starts the reader thread. <paramref name="onFault"/> runs on it if it dies.</summary>
    public void Start(IEventSink sink, Action<Exception> onFault)
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("The reader is already running.");
        }

        IDeliveryFlow flow = sink as IDeliveryFlow ?? Unbounded.Instance;
        flow.SetReaderWake(_completion.Ring);
        Volatile.Write(ref _running, true);
        _thread = new Thread(() => Run(sink, flow, onFault)) { IsBackground = true, Name = "efd-reader" };
        _thread.Start();
    }

    /// <summary>Stops the reader thread and waits for it; events still in the eventfd or the module's ring stay there.</summary>
    public void Stop()
    {
        if (_thread is null)
        {
            return;
        }

        Volatile.Write(ref _stopping, true);
        _completion.Ring();
        _thread.Join();
        _thread = null;
        Volatile.Write(ref _stopping, false);
    }

    /// <summary>
    /// After <see cref="Stop"/> and the handlers' drain: commits what every handler finished and
    /// returns the records left unfinished (they stay in the ring and are redelivered at the next open).
    /// </summary>
    public SeqRange CommitFinished(IDeliveryFlow flow)
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("Stop the reader first.");
        }

        if (_device is not { Acknowledged: true } device)
        {
            return default;
        }

        Commit(flow);
        return device.LastDelivered > device.Committed
            ? new SeqRange((long)(device.LastDelivered - device.Committed), device.Committed + 1, device.LastDelivered)
            : default;
    }

    public void Dispose()
    {
        Stop();
        _stallTimer.Dispose();
        _gapLog.Dispose();
        _redeliveredLog.Dispose();
        _device?.Dispose();
        _completion.Dispose();
        _eventfd.Dispose();
    }

    private void Run(IEventSink sink, IDeliveryFlow flow, Action<Exception> onFault)
    {
        try
        {
            Log.ReaderStarted(_logger, _eventfd.Number, _device is not null);
            ReadLoop(sink, flow);
            Log.ReaderStopped(_logger);
        }
#pragma warning disable CA1031 // The reader thread must report any failure, then the app stops.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReaderFailed(_logger, ex);
            onFault(ex);
        }
        finally
        {
            Volatile.Write(ref _running, false);
        }
    }

    private void ReadLoop(IEventSink sink, IDeliveryFlow flow)
    {
        byte[] buffer = new byte[EfdLkmRecord.Size * RecordsPerRead];
        using var poller = _device is null
            ? new Poller(_completion.Descriptor, _eventfd)
            : new Poller(_completion.Descriptor, _eventfd, _device.Descriptor);
        bool deviceOk = _device is not null;
        bool blocked = false;

        // Records redelivered after a crash wait in the ring with no doorbell rung for them: read first.
        bool readDevice = deviceOk;
        while (true)
        {
            if (readDevice)
            {
                DrainDevice(sink, flow, buffer);
            }

            sink.EndOfBatch();
            Commit(flow);
            bool wasBlocked = blocked;
            blocked = Settle(flow, poller, deviceOk, blocked);
            Volatile.Write(ref _heldBack, blocked);
            if (wasBlocked && !blocked)
            {
                // Room again: the backlog waits in the ring or the counter, and no doorbell will come for it.
                readDevice = deviceOk;
                continue;
            }

            Volatile.Write(ref _waiting, true);
            poller.Wait(-1);
            Volatile.Write(ref _waiting, false);
            Volatile.Write(ref _passes, _passes + 1);
            if (poller.IsReadable(WakeIndex))
            {
                _completion.Clear();
                if (Volatile.Read(ref _stopping))
                {
                    return;
                }
            }

            if (poller.IsReadable(CounterIndex))
            {
                DrainEventfd(sink, flow);
            }

            if (deviceOk && poller.HasFailed(DeviceIndex))
            {
                Log.RecordDeviceFailed(_logger);
                poller.Ignore(DeviceIndex);
                deviceOk = false;
            }

            readDevice = deviceOk && poller.IsReadable(DeviceIndex);
        }
    }

    /// <summary>
    /// Decides, after a batch, whether the reader may read more: when the handlers' room or the
    /// device's window is exhausted it stops watching the eventfd and the device, arms the
    /// handlers' completion wake-ups and the stall timer; otherwise it watches them again and, with
    /// commits pending, asks for the wake-up that lets an idle reader commit. Returns whether it is blocked.
    /// </summary>
    private bool Settle(IDeliveryFlow flow, Poller poller, bool deviceOk, bool wasBlocked)
    {
        bool roomBlocked = flow.Room == 0;
        bool windowFull = _device?.WindowRoom == 0;
        if (roomBlocked || windowFull)
        {
            flow.ArmReaderWake(roomBlocked, windowFull);

            // A call that ended before the wake-up was armed rang nothing: look again.
            Commit(flow);
            roomBlocked = flow.Room == 0;
            windowFull = _device?.WindowRoom == 0;
        }

        TimeSpan? due = null;
        if (roomBlocked || windowFull)
        {
            // A handler past its MaxStall is demoted here and stops holding the reader.
            due = flow.TrackStalls(roomBlocked, windowFull, _time.GetTimestamp());
            Commit(flow);
            roomBlocked = flow.Room == 0;
            windowFull = _device?.WindowRoom == 0;
        }

        if (roomBlocked || windowFull)
        {
            _stallTimer.Change(due is { } d ? d + TimeSpan.FromMilliseconds(1) : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            poller.Ignore(CounterIndex);
            if (deviceOk)
            {
                poller.Ignore(DeviceIndex);
            }

            return true;
        }

        if (wasBlocked)
        {
            flow.TrackStalls(false, false, 0);
            _stallTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            poller.Watch(CounterIndex);
            if (deviceOk)
            {
                poller.Watch(DeviceIndex);
            }
        }

        if (_device is { Acknowledged: true } device && device.Committed < device.LastDelivered)
        {
            // Commit within moments of the last call ending, also when no new event comes.
            flow.ArmReaderWake(forRoom: false, forWindow: false);
            Commit(flow);
        }

        return false;
    }

    /// <summary>Commits the highest <c>seq</c> below which every handler has finished.</summary>
    private void Commit(IDeliveryFlow flow)
    {
        if (_device is not { Acknowledged: true } device || device.LastDelivered == 0)
        {
            return;
        }

        ulong oldest = flow.OldestUnfinished;
        ulong finished = oldest == HandlerQueue.NothingUnfinished ? device.LastDelivered : oldest - 1;
        if (device.Commit(finished))
        {
            _counters.SetCommitted(finished);
        }
    }

    /// <summary>
    /// Reads the counter until EAGAIN: in semaphore mode one unit per read, so a backlog costs one
    /// read per event, not a poll and a read; in counter mode one read takes it all, and reading
    /// again before sleeping takes what the writers added meanwhile without a wake-up (a writer that
    /// finds the reader asleep pays for waking it), while that pays (<see cref="RereadPolicy"/>).
    /// Bounded by the handlers' room, and per wake so a stop request is seen between batches.
    /// Without a record device every read is one <see cref="EventKind.Signal"/> event; with one,
    /// the counter is only the doorbell.
    /// </summary>
    private void DrainEventfd(IEventSink sink, IDeliveryFlow flow)
    {
        if (_device is not null)
        {
            Eventfd.TryRead(_eventfd, out _);
            return;
        }

        // One clock read and one count per wake: the reads of one wake take microseconds.
        int reads = Math.Min(Mode == EventfdMode.Counter && !_rereads.Worthwhile() ? 1 : MaxReadsPerWake, flow.Room);
        DateTimeOffset now = _time.GetUtcNow();
        int received = 0;
        while (received < reads && Eventfd.TryRead(_eventfd, out ulong value))
        {
            var record = EventRecord.FromSignal(value, now);
            received++;
            sink.Publish(in record);
        }

        if (Mode == EventfdMode.Counter && reads > 1 && received > 0)
        {
            _rereads.Note(found: received > 1);
        }

        _counters.AddReceived(received);
    }

    /// <summary>Reads records until a short read (the module then rings for the next one), the handlers' room or the window runs out.</summary>
    private void DrainDevice(IEventSink sink, IDeliveryFlow flow, byte[] buffer)
    {
        RecordDevice device = _device!;
        while (true)
        {
            int want = Math.Min(RecordsPerRead, Math.Min(flow.Room, device.WindowRoom));
            if (want == 0 || !device.TryRead(buffer.AsSpan(0, want * EfdLkmRecord.Size), out int records))
            {
                return;
            }

            Volatile.Write(ref _passes, _passes + 1);
            DateTimeOffset now = _time.GetUtcNow();
            for (int i = 0; i < records; i++)
            {
                var raw = EfdLkmRecord.Read(buffer.AsSpan(i * EfdLkmRecord.Size, EfdLkmRecord.Size));
                NoteSequence(in raw);
                device.NoteDelivered(raw.Seq);
                var record = EventRecord.FromKernel(in raw, now, FormatOf(in raw));
                sink.Publish(in record);
            }

            _counters.AddReceived(records);
            sink.EndOfBatch();
            if (records < want)
            {
                return;
            }
        }
    }

    /// <summary>The record's format; a KIND record first makes the catalogue read sysfs again, for the records after it.</summary>
    private EventFormat? FormatOf(in EfdLkmRecord raw)
    {
        var kind = (EventKind)raw.Kind;
        if (_kinds is null)
        {
            return BuiltInKinds.Get(kind);
        }

        if (kind == EventKind.KindChange)
        {
            _kinds.Refresh();
        }

        return _kinds.Find(kind);
    }

    private void NoteSequence(in EfdLkmRecord raw)
    {
        ulong seq = raw.Seq;
        if ((raw.Flags & EfdLkmRecord.FlagRedelivered) != 0)
        {
            _counters.AddRedelivered(1);
            _redeliveredLog.Add(seq, seq);
        }

        // A lower number means the module was reloaded and counts from 1 again: not a gap.
        if (_lastSequence != 0 && seq > _lastSequence + 1)
        {
            long missing = (long)(seq - _lastSequence - 1);
            _counters.AddKernelLost(missing);
            _gapLog.Add(_lastSequence + 1, seq - 1, missing);
            _kinds?.MarkStale();
        }
        else if (seq <= _lastSequence && _lastSequence != 0)
        {
            // efd_lkm was loaded again: registered kinds are numbered afresh.
            _kinds?.Refresh();
        }

        _lastSequence = seq;
    }

    /// <summary>The flow of a plain sink: no bound, nothing to wait for.</summary>
    private sealed class Unbounded : IDeliveryFlow
    {
        public static readonly Unbounded Instance = new();

        public int Room => int.MaxValue;

        public ulong OldestUnfinished => HandlerQueue.NothingUnfinished;

        public void SetReaderWake(Action wake)
        {
        }

        public void ArmReaderWake(bool forRoom, bool forWindow)
        {
        }

        public TimeSpan? TrackStalls(bool roomBlocked, bool windowFull, long now) => null;
    }
}
