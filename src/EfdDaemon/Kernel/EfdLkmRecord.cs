using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EfdDaemon.Kernel;

/// <summary>
/// <c>struct efd_lkm_event</c> of <c>kernel/include/uapi/efd_lkm.h</c> (ABI version 1): 128 bytes,
/// native endianness, as <c>read()</c> on <c>/dev/efd_lkm</c> returns it.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
internal struct EfdLkmRecord
{
    public const int Size = 128;
    public const int AbiVersion = 1;

    /// <summary>1, 2, 3, … per module load; a gap means dropped records.</summary>
    public ulong Seq;

    /// <summary><c>ktime_get_boottime_ns()</c> when the event was raised.</summary>
    public ulong TsNs;

    /// <summary><c>EFD_LKM_KIND_*</c>.</summary>
    public uint Kind;

    /// <summary>Bytes used in <see cref="Data"/>.</summary>
    public uint Len;

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
