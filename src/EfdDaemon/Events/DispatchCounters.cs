namespace EfdDaemon.Events;

/// <summary>Daemon-wide event counters, shared by the reader, the dispatcher and the status reply.</summary>
internal sealed class DispatchCounters
{
    private long _received;
    private long _dispatched;
    private long _dropped;
    private long _sequenceGaps;

    public long Received => Volatile.Read(ref _received);

    public long Dispatched => Volatile.Read(ref _dispatched);

    public long Dropped => Volatile.Read(ref _dropped);

    public long SequenceGaps => Volatile.Read(ref _sequenceGaps);

    public void AddReceived(long n) => Interlocked.Add(ref _received, n);

    public void AddDispatched() => Interlocked.Increment(ref _dispatched);

    public void AddDropped() => Interlocked.Increment(ref _dropped);

    public void AddSequenceGap(long missing) => Interlocked.Add(ref _sequenceGaps, missing);
}
