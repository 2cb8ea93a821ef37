using System.Globalization;

namespace EfdDaemon;

/// <summary>How a renderer shows an integer field besides its number.</summary>
public enum EventFieldDisplay
{
    /// <summary>Decimal, or the value's name when the field has <see cref="EventField.ValueNames"/>.</summary>
    Default,

    /// <summary>Hexadecimal with <c>0x</c> (flags).</summary>
    Hex,

    /// <summary>A <c>bytes</c> field that holds an IPv4 address in its first 4 bytes or an IPv6 address in 16, as the kind's <c>family</c> field says.</summary>
    Address,
}

/// <summary>One named, typed field of a kind's payload: a line of <c>/sys/kernel/efd_lkm/kinds/&lt;n&gt;/format</c>.</summary>
public sealed class EventField
{
    private readonly (long Value, string Name)[] _valueNames;

    /// <summary>Initializes a field.</summary>
    /// <param name="name">The field's name, <c>[a-z0-9_]+</c>, at most 32 bytes.</param>
    /// <param name="type">Its type.</param>
    /// <param name="offset">Its offset in the payload.</param>
    /// <param name="size">Its size in bytes.</param>
    /// <param name="display">How to show it.</param>
    /// <param name="valueNames">Names of known values of an integer field (<c>UP</c> for <c>NETDEV_UP</c>), built-in kinds only.</param>
    /// <exception cref="ArgumentException">The name, type, offset or size break the rules of <c>efd_lkm_kind_register()</c>.</exception>
    public EventField(string name, EventFieldType type, int offset, int size,
        EventFieldDisplay display = EventFieldDisplay.Default, IReadOnlyList<(long Value, string Name)>? valueNames = null)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a field name ([a-z0-9_]+, at most {MaxNameLength} bytes).", nameof(name));
        }

        int fixedSize = EventFieldTypes.FixedSize(type);
        if (type is < EventFieldType.U8 or > EventFieldType.Ipv6 || (fixedSize != 0 ? size != fixedSize : size < 1)
            || offset < 0 || offset + size > KernelEvent.MaxPayloadLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Field {name}: {EventFieldTypes.GetName(type)} at offset {offset} size {size} does not fit a {KernelEvent.MaxPayloadLength}-byte payload."),
                nameof(size));
        }

        Name = name;
        Type = type;
        Offset = offset;
        Size = size;
        Display = display;
        _valueNames = valueNames is null ? [] : [.. valueNames];
        JournalName = "EFD_F_" + name.ToUpperInvariant();
    }

    /// <summary>The longest field name, in bytes.</summary>
    public const int MaxNameLength = 32;

    /// <summary>Gets the field's name (<c>ifname</c>, <c>busnum</c>).</summary>
    public string Name { get; }

    /// <summary>Gets the field's type.</summary>
    public EventFieldType Type { get; }

    /// <summary>Gets the field's offset in the payload.</summary>
    public int Offset { get; }

    /// <summary>Gets the field's size in bytes.</summary>
    public int Size { get; }

    /// <summary>Gets how renderers show the field.</summary>
    public EventFieldDisplay Display { get; }

    /// <summary>Gets the names of known values, empty for most fields.</summary>
    public IReadOnlyList<(long Value, string Name)> ValueNames => _valueNames;

    /// <summary>Gets the field's name in the journal and in an exec program's environment: <c>EFD_F_</c> and the name upper-cased.</summary>
    public string JournalName { get; }

    /// <summary>Gets whether the field is an integer (<c>u8</c> … <c>s64</c>).</summary>
    public bool IsInteger => Type is >= EventFieldType.U8 and <= EventFieldType.S64;

    /// <summary>Gets whether the field is signed (<c>s8</c> … <c>s64</c>).</summary>
    public bool IsSigned => Type is >= EventFieldType.S8 and <= EventFieldType.S64;

    /// <summary>Returns the name of <paramref name="value"/>, or <see langword="null"/> when it has none.</summary>
    /// <param name="value">An integer value of this field.</param>
    /// <returns>The name (<c>UP</c>), or <see langword="null"/>.</returns>
    public string? NameOf(long value)
    {
        foreach ((long v, string n) in _valueNames)
        {
            if (v == value)
            {
                return n;
            }
        }

        return null;
    }

    /// <summary>Reads a value's number from its name (case-insensitive).</summary>
    /// <param name="name">A name from <see cref="ValueNames"/>.</param>
    /// <param name="value">The number, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when the field has a value of that name.</returns>
    public bool TryParseValueName(ReadOnlySpan<char> name, out long value)
    {
        foreach ((long v, string n) in _valueNames)
        {
            if (name.Equals(n, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <summary>Tells whether <paramref name="name"/> is a valid field name: <c>[a-z0-9_]+</c>, at most <see cref="MaxNameLength"/> bytes.</summary>
    /// <param name="name">The name to test.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} {EventFieldTypes.GetName(Type)} {Offset} {Size}");
}
