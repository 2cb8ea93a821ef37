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
    public bool Redelivered;

    /// <summary>The kind's format, from the reader's <see cref="Kernel.KindCatalog"/>; null for an opaque or unreadable kind.</summary>
    public EventFormat? Format;
    public RecordPayload Payload;

    public static EventRecord FromSignal(ulong count, DateTimeOffset receivedAt) => new()
    {
        Kind = EventKind.Signal,
        Format = BuiltInKinds.Get(EventKind.Signal),
        Count = count,
        ReceivedAt = receivedAt,
    };

    public static EventRecord FromKernel(in EfdLkmRecord record, DateTimeOffset receivedAt, EventFormat? format)
    {
        var r = new EventRecord
        {
            Sequence = record.Seq,
            Kind = (EventKind)record.Kind,
            Format = format,
            Count = 1,
            KernelTimestamp = record.TsNs,
            ReceivedAt = receivedAt,
            PayloadLength = Math.Min((int)record.Len, KernelEvent.MaxPayloadLength),
            Redelivered = (record.Flags & EfdLkmRecord.FlagRedelivered) != 0,
            Payload = record.Data,
        };
        return r;
    }

    /// <summary>Copies the payload into <paramref name="buffer"/> and returns the event a handler sees.</summary>
    public readonly KernelEvent ToKernelEvent(byte[] buffer)
    {
        ReadOnlySpan<byte> payload = Payload;
        payload[..PayloadLength].CopyTo(buffer);
        return new KernelEvent(Sequence, Kind, Count, KernelTimestamp, ReceivedAt, buffer.AsMemory(0, PayloadLength)) { Redelivered = Redelivered, Format = Format };
    }
}

/// <summary>Where <see cref="EventfdSource"/> delivers events; called on the reader thread and must never block.</summary>
internal interface IEventSink
{
    void Publish(in EventRecord record);

    /// <summary>Ends a batch of <see cref="Publish"/> calls (one wake-up's worth): the time to wake consumers once for all of it.</summary>
    void EndOfBatch();
}

/// <summary>
/// What the reader needs from the handlers for lossless delivery: how much fits, what is finished,
/// and a wake-up when either changes. <see cref="EventDispatcher"/> implements it; a sink without it has no bound.
/// </summary>
/// <remarks>Every member but the wake-up action runs on the reader thread.</remarks>
internal interface IDeliveryFlow
{
    /// <summary>Gets how many more events fit without a loss (<see cref="int.MaxValue"/>: no bound).</summary>
    int Room { get; }

    /// <summary>Gets the lowest <c>seq</c> a handler that holds commits has not finished (<see cref="HandlerQueue.NothingUnfinished"/>: none).</summary>
    ulong OldestUnfinished { get; }

    /// <summary>Sets what rings the reader's completion signal; called once, before the first event.</summary>
    void SetReaderWake(Action wake);

    /// <summary>Asks the handlers to ring the reader: when room frees (<paramref name="forRoom"/>), when the oldest unfinished event finishes (<paramref name="forWindow"/>), or when everything queued is finished (otherwise, for the idle commit).</summary>
    void ArmReaderWake(bool forRoom, bool forWindow);

    /// <summary>Tracks which handlers hold the reader back and demotes those past their <c>MaxStall</c>; returns the time until the next one would be due, or null.</summary>
    TimeSpan? TrackStalls(bool roomBlocked, bool windowFull, long now);
}
