using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace EfdDaemon;

/// <summary>One event delivered to an <see cref="IEventHandler"/>: one efd_lkm record, or one bare eventfd wake-up.</summary>
/// <remarks>
/// The payload is borrowed from the daemon's buffers and is valid only until the handler's
/// <see cref="IEventHandler.HandleAsync"/> task completes. The typed accessors read it in the
/// record layout of <c>kernel/include/uapi/efd_lkm.h</c> (native endianness); each throws
/// <see cref="InvalidOperationException"/> when called on an event of another kind.
/// </remarks>
public readonly struct KernelEvent
{
    /// <summary>The size of the payload area of a record, in bytes.</summary>
    public const int MaxPayloadLength = 104;

    /// <summary>Initializes a new event.</summary>
    /// <param name="sequence">The module's sequence number (1, 2, 3, … per module load; 0 for <see cref="EventKind.Signal"/>).</param>
    /// <param name="kind">The event kind.</param>
    /// <param name="count">1 for a record; the counter value read for <see cref="EventKind.Signal"/>.</param>
    /// <param name="kernelTimestamp">Nanoseconds of <c>CLOCK_BOOTTIME</c> when the event was raised (0 when unknown).</param>
    /// <param name="receivedAt">When the daemon read the event.</param>
    /// <param name="payload">The kind-specific payload (at most <see cref="MaxPayloadLength"/> bytes).</param>
    public KernelEvent(ulong sequence, EventKind kind, ulong count, ulong kernelTimestamp, DateTimeOffset receivedAt, ReadOnlyMemory<byte> payload)
    {
        Sequence = sequence;
        Kind = kind;
        Count = count;
        KernelTimestamp = kernelTimestamp;
        ReceivedAt = receivedAt;
        Payload = payload;
    }

    /// <summary>Gets the module's sequence number; a gap between two events means the module dropped records. 0 for <see cref="EventKind.Signal"/>.</summary>
    public ulong Sequence { get; }

    /// <summary>Gets the event kind.</summary>
    public EventKind Kind { get; }

    /// <summary>Gets how many signals this event stands for: 1 for a record, the eventfd counter value for <see cref="EventKind.Signal"/>.</summary>
    public ulong Count { get; }

    /// <summary>Gets the kernel's <c>CLOCK_BOOTTIME</c> in nanoseconds when the event was raised; 0 when unknown.</summary>
    public ulong KernelTimestamp { get; }

    /// <summary>Gets the wall-clock time at which the daemon read the event.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets the kind-specific payload. Valid until the handler's task completes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>
    /// Gets whether an earlier run of the daemon read this event but did not see every handler finish
    /// it (it crashed, was killed, or its shutdown timed out), so the module delivered it again. A
    /// handler whose action is not idempotent can check it; the event may have been handled before.
    /// </summary>
    /// <remarks>Added in plugin API 1.1.</remarks>
    public bool Redelivered { get; init; }

    /// <summary>Reads the payload of an <see cref="EventKind.Attached"/> event.</summary>
    /// <returns>The process id and eventfd number the module attached to.</returns>
    public (int Pid, int Fd) GetAttached()
    {
        ReadOnlySpan<byte> p = PayloadOf(EventKind.Attached, 8);
        return (ReadInt32(p, 0), ReadInt32(p, 4));
    }

    /// <summary>Reads the payload of a <see cref="EventKind.Trigger"/> event.</summary>
    /// <returns>The 1-based index of this event within its write, and the number of events the write asked for.</returns>
    public (uint Index, uint Batch) GetTrigger()
    {
        ReadOnlySpan<byte> p = PayloadOf(EventKind.Trigger, 8);
        return (ReadUInt32(p, 0), ReadUInt32(p, 4));
    }

    /// <summary>Reads the payload of a <see cref="EventKind.Netdev"/> event.</summary>
    /// <returns>The interface name, its index, the notifier event (<c>NETDEV_UP</c> = 1, <c>NETDEV_DOWN</c> = 2, <c>NETDEV_CHANGE</c> = 4) and the interface flags (<c>IFF_*</c>).</returns>
    public (string InterfaceName, uint InterfaceIndex, uint NetdevEvent, uint Flags) GetNetdev()
    {
        ReadOnlySpan<byte> p = PayloadOf(EventKind.Netdev, 28);
        return (ReadCString(p[..16]), ReadUInt32(p, 16), ReadUInt32(p, 20), ReadUInt32(p, 24));
    }

    /// <summary>Reads the payload of a <see cref="EventKind.Module"/> event.</summary>
    /// <returns>The module name and its state (<c>MODULE_STATE_LIVE</c> = 0, <c>COMING</c> = 1, <c>GOING</c> = 2).</returns>
    public (string ModuleName, uint State) GetModule()
    {
        ReadOnlySpan<byte> p = PayloadOf(EventKind.Module, 60);
        return (ReadCString(p[..56]), ReadUInt32(p, 56));
    }

    /// <summary>Reads the payload of a <see cref="EventKind.Tick"/> event.</summary>
    /// <returns>The tick number, counted from 1 since the timer started.</returns>
    public ulong GetTick()
    {
        ReadOnlySpan<byte> p = PayloadOf(EventKind.Tick, 8);
        return MemoryMarshal.Read<ulong>(p);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{EventKindNames.GetName(Kind)} seq={Sequence} count={Count} len={Payload.Length}";

    private ReadOnlySpan<byte> PayloadOf(EventKind expected, int minLength)
    {
        if (Kind != expected)
        {
            throw new InvalidOperationException($"The event is {EventKindNames.GetName(Kind)}, not {EventKindNames.GetName(expected)}.");
        }

        ReadOnlySpan<byte> p = Payload.Span;
        if (p.Length < minLength)
        {
            throw new InvalidOperationException($"The {EventKindNames.GetName(expected)} payload has {p.Length} bytes; at least {minLength} are needed.");
        }

        return p;
    }

    private static int ReadInt32(ReadOnlySpan<byte> p, int offset) => MemoryMarshal.Read<int>(p[offset..]);

    private static uint ReadUInt32(ReadOnlySpan<byte> p, int offset) => MemoryMarshal.Read<uint>(p[offset..]);

    private static string ReadCString(ReadOnlySpan<byte> p)
    {
        int end = p.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? p : p[..end]);
    }
}
