namespace EfdDaemon;

/// <summary>The type of one payload field (<c>EFD_LKM_FIELD_*</c>; the <c>type</c> column of <c>/sys/kernel/efd_lkm/kinds/&lt;n&gt;/format</c>).</summary>
public enum EventFieldType : ushort
{
    /// <summary><c>u8</c>: an unsigned byte.</summary>
    U8 = 1,

    /// <summary><c>u16</c>: a native-endian unsigned 16-bit integer.</summary>
    U16 = 2,

    /// <summary><c>u32</c>.</summary>
    U32 = 3,

    /// <summary><c>u64</c>.</summary>
    U64 = 4,

    /// <summary><c>s8</c>: a signed byte.</summary>
    S8 = 5,

    /// <summary><c>s16</c>.</summary>
    S16 = 6,

    /// <summary><c>s32</c>.</summary>
    S32 = 7,

    /// <summary><c>s64</c>.</summary>
    S64 = 8,

    /// <summary><c>str</c>: UTF-8 text, NUL-padded to its size (not necessarily NUL-terminated when full).</summary>
    Str = 9,

    /// <summary><c>bytes</c>: opaque bytes, shown in hexadecimal.</summary>
    Bytes = 10,

    /// <summary><c>ipv4</c>: 4 bytes, network order.</summary>
    Ipv4 = 11,

    /// <summary><c>ipv6</c>: 16 bytes, network order.</summary>
    Ipv6 = 12,
}

/// <summary>The text names of <see cref="EventFieldType"/>, as sysfs writes them.</summary>
public static class EventFieldTypes
{
    private static readonly string[] Names = ["", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "str", "bytes", "ipv4", "ipv6"];

    /// <summary>Returns the sysfs name of <paramref name="type"/> (<c>u32</c>, <c>str</c>, …).</summary>
    /// <param name="type">The type.</param>
    /// <returns>The name, or the number for a type this version does not know.</returns>
    public static string GetName(EventFieldType type) =>
        (uint)type < (uint)Names.Length && type != 0 ? Names[(int)type] : ((ushort)type).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads a type from its sysfs name.</summary>
    /// <param name="name">The name (<c>u8</c> … <c>ipv6</c>).</param>
    /// <param name="type">The type, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> for a known name.</returns>
    public static bool TryParse(ReadOnlySpan<char> name, out EventFieldType type)
    {
        for (int i = 1; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                type = (EventFieldType)i;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>The size a field of <paramref name="type"/> must have, or 0 when any size from 1 is allowed (<c>str</c>, <c>bytes</c>).</summary>
    /// <param name="type">The type.</param>
    /// <returns>The fixed size in bytes, or 0.</returns>
    public static int FixedSize(EventFieldType type) => type switch
    {
        EventFieldType.U8 or EventFieldType.S8 => 1,
        EventFieldType.U16 or EventFieldType.S16 => 2,
        EventFieldType.U32 or EventFieldType.S32 or EventFieldType.Ipv4 => 4,
        EventFieldType.U64 or EventFieldType.S64 => 8,
        EventFieldType.Ipv6 => 16,
        _ => 0,
    };
}
