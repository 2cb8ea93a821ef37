using EfdDaemon.Kernel;

namespace EfdDaemon.Events;

/// <summary>One event by value, as it travels from the reader into a handler's queue slot.</summary>
/// <remarks>Holding the payload inline is what keeps the handoff free of allocations.</remarks>
internal struct EventRecord
{
    public ulong Sequence;
    public EventKind Kind;
    public ulong Count;
    public ulong KernelTimestamp;
    public DateTimeOffset ReceivedAt;
    public int PayloadLength;
    public RecordPayload Payload;

    public static EventRecord FromSignal(ulong count, DateTimeOffset receivedAt) => new()
    {
        Kind = EventKind.Signal,
        Count = count,
        ReceivedAt = receivedAt,
    };

    public static EventRecord FromKernel(in EfdLkmRecord record, DateTimeOffset receivedAt)
    {
        var r = new EventRecord
        {
            Sequence = record.Seq,
            Kind = (EventKind)record.Kind,
            Count = 1,
            KernelTimestamp = record.TsNs,
            ReceivedAt = receivedAt,
            PayloadLength = Math.Min((int)record.Len, KernelEvent.MaxPayloadLength),
            Payload = record.Data,
        };
        return r;
    }

    /// <summary>Copies the payload into <paramref name="buffer"/> and returns the event a handler sees.</summary>
    public readonly KernelEvent ToKernelEvent(byte[] buffer)
    {
        ReadOnlySpan<byte> payload = Payload;
        payload[..PayloadLength].CopyTo(buffer);
        return new KernelEvent(Sequence, Kind, Count, KernelTimestamp, ReceivedAt, buffer.AsMemory(0, PayloadLength));
    }
}

/// <summary>Where <see cref="EventfdSource"/> delivers events; called on the reader thread and must never block.</summary>
internal interface IEventSink
{
    void Publish(in EventRecord record);

    /// <summary>Ends a batch of <see cref="Publish"/> calls (one wake-up's worth): the time to wake consumers once for all of it.</summary>
    void EndOfBatch();
}
