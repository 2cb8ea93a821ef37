using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EfdDaemon.Kernel;

/// <summary>
/// <c>struct efd_lkm_event</c> of <c>kernel/include/uapi/efd_lkm.h</c> (ABI version 2): 128 bytes,
/// native endianness, as <c>read()</c> on <c>/dev/efd_lkm</c> returns it.
/// </summary>
/// <remarks>
/// ABI 1 had <c>__u32 len</c> where ABI 2 has <c>__u16 len; __u16 flags</c>; a module of ABI 1
/// leaves the upper half zero on little-endian machines, so the same mirror reads both
/// (<see cref="OldestAbiVersion"/>).
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = Size)]
internal struct EfdLkmRecord
{
    public const int Size = 128;
    public const int AbiVersion = 2;

    /// <summary>The oldest module ABI the daemon still reads (classic delivery, no redelivery).</summary>
    public const int OldestAbiVersion = 1;

    /// <summary><c>EFD_LKM_F_REDELIVERED</c>: an earlier open() of the device received it and did not commit it.</summary>
    public const ushort FlagRedelivered = 0x0001;

    /// <summary>1, 2, 3, … per module load; a gap means dropped records.</summary>
    public ulong Seq;

    /// <summary><c>ktime_get_boottime_ns()</c> when the event was raised.</summary>
    public ulong TsNs;

    /// <summary><c>EFD_LKM_KIND_*</c>.</summary>
    public uint Kind;

    /// <summary>Bytes used in <see cref="Data"/>, at most 104.</summary>
    public ushort Len;

    /// <summary><c>EFD_LKM_F_*</c>; 0 for a reader that has not opted into acknowledged delivery.</summary>
    public ushort Flags;

    public RecordPayload Data;

    /// <summary>Reads one record from the start of <paramref name="bytes"/> (at least <see cref="Size"/> bytes).</summary>
    public static EfdLkmRecord Read(ReadOnlySpan<byte> bytes) => MemoryMarshal.Read<EfdLkmRecord>(bytes);
}

/// <summary>The payload area of a record, held by value.</summary>
[InlineArray(KernelEvent.MaxPayloadLength)]
internal struct RecordPayload
{
    private byte _element0;
}
