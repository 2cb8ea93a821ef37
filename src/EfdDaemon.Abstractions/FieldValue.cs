using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace EfdDaemon;

/// <summary>One field of one event's payload, read in place (valid as long as the event's payload).</summary>
public readonly ref struct FieldValue
{
    /// <summary>Initializes a value.</summary>
    /// <param name="field">The field.</param>
    /// <param name="bytes">Its bytes (exactly <see cref="EventField.Size"/> of them).</param>
    public FieldValue(EventField field, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (bytes.Length != field.Size)
        {
            throw new ArgumentException($"Field {field.Name} has {field.Size} bytes, not {bytes.Length}.", nameof(bytes));
        }

        Field = field;
        Bytes = bytes;
    }

    /// <summary>Initializes the value of an <see cref="EventFieldDisplay.Address"/> field whose kind says how long the address is.</summary>
    internal FieldValue(EventField field, ReadOnlySpan<byte> bytes, int addressLength)
        : this(field, bytes) => _addressLength = addressLength;

    private readonly int _addressLength;

    /// <summary>Gets the field.</summary>
    public EventField Field { get; }

    /// <summary>Gets the field's bytes, native-endian as the kernel wrote them.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>Reads an integer field, sign-extended for <c>s8</c>…<c>s64</c> and zero-extended otherwise (a <c>u64</c> above <see cref="long.MaxValue"/> wraps: use <see cref="TryGetUInt64"/>).</summary>
    /// <param name="value">The value, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="false"/> when the field is not an integer.</returns>
    public bool TryGetInt64(out long value)
    {
        ReadOnlySpan<byte> b = Bytes;
        (bool ok, value) = Field.Type switch
        {
            EventFieldType.U8 => (true, b[0]),
            EventFieldType.S8 => (true, (sbyte)b[0]),
            EventFieldType.U16 => (true, MemoryMarshal.Read<ushort>(b)),
            EventFieldType.S16 => (true, MemoryMarshal.Read<short>(b)),
            EventFieldType.U32 => (true, MemoryMarshal.Read<uint>(b)),
            EventFieldType.S32 => (true, MemoryMarshal.Read<int>(b)),
            EventFieldType.U64 or EventFieldType.S64 => (true, MemoryMarshal.Read<long>(b)),
            _ => (false, 0L),
        };
        return ok;
    }

    /// <summary>Reads an unsigned integer field.</summary>
    /// <param name="value">The value, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="false"/> when the field is not an unsigned integer.</returns>
    public bool TryGetUInt64(out ulong value)
    {
        value = 0;
        if (Field.IsSigned || !TryGetInt64(out long v))
        {
            return false;
        }

        value = Field.Type == EventFieldType.U64 ? MemoryMarshal.Read<ulong>(Bytes) : (ulong)v;
        return true;
    }

    /// <summary>Reads a <c>str</c> field in place.</summary>
    /// <returns>The text; empty for a field of another type.</returns>
    public KernelString AsString() => Field.Type == EventFieldType.Str ? new KernelString(Bytes) : default;

    /// <summary>Returns an address field (<c>ipv4</c>, <c>ipv6</c>, or IFADDR's <c>addr</c>) as an <see cref="IPAddress"/>; allocates.</summary>
    /// <returns>The address, or <see langword="null"/> for a field of another type.</returns>
    public IPAddress? ToIPAddress() => Field.Type switch
    {
        EventFieldType.Ipv4 or EventFieldType.Ipv6 => new IPAddress(Bytes),
        EventFieldType.Bytes when _addressLength is 4 or 16 => new IPAddress(Bytes[.._addressLength]),
        _ => null,
    };

    /// <summary>
    /// Writes the value as every renderer shows it: decimal, or the value's name (<c>UP</c>) when the
    /// field names it, <c>0x</c> hexadecimal for flags, the text of a string, dotted or RFC 5952
    /// notation for an address, lower-case hexadecimal for bytes.
    /// </summary>
    /// <param name="destination">Where to write; 256 characters always suffice.</param>
    /// <param name="written">How many characters were written.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too short.</returns>
    public bool TryFormat(Span<char> destination, out int written)
    {
        written = 0;
        switch (Field.Type)
        {
            case EventFieldType.Str:
                return AsString().TryCopyTo(destination, out written);
            case EventFieldType.Bytes when _addressLength is 4 or 16:
                return TryFormatAddress(Bytes[.._addressLength], destination, out written);
            case EventFieldType.Bytes:
                return Convert.TryToHexStringLower(Bytes, destination, out written);
            case EventFieldType.Ipv4 or EventFieldType.Ipv6:
                return TryFormatAddress(Bytes, destination, out written);
        }

        if (Field.Type == EventFieldType.U64 && TryGetUInt64(out ulong big))
        {
            return Field.Display == EventFieldDisplay.Hex
                ? destination.TryWrite(CultureInfo.InvariantCulture, $"0x{big:x}", out written)
                : big.TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        }

        TryGetInt64(out long v);
        if (Field.NameOf(v) is { } name)
        {
            if (name.Length > destination.Length)
            {
                return false;
            }

            name.CopyTo(destination);
            written = name.Length;
            return true;
        }

        return Field.Display == EventFieldDisplay.Hex
            ? destination.TryWrite(CultureInfo.InvariantCulture, $"0x{(ulong)v & Mask(Field.Size):x}", out written)
            : v.TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
    }

    /// <summary>Returns the value as <see cref="TryFormat"/> writes it; allocates.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        Span<char> text = stackalloc char[256];
        return TryFormat(text, out int n) ? new string(text[..n]) : string.Empty;
    }

    // Apart, so that System.Net.Primitives loads only in a daemon that shows an address.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool TryFormatAddress(ReadOnlySpan<byte> address, Span<char> destination, out int written) =>
        new IPAddress(address).TryFormat(destination, out written);

    private static ulong Mask(int size) => size >= 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
}
