using System.Globalization;

namespace EfdDaemon;

/// <summary>
/// What a kind's payload holds: its name and its fields, as <c>/sys/kernel/efd_lkm/kinds/&lt;n&gt;/</c>
/// describes it. <see cref="BuiltInKinds"/> has the built-in ones; the daemon reads those of
/// registered kinds from sysfs and sets <see cref="KernelEvent.Format"/> on every event.
/// </summary>
/// <remarks>Immutable: a kind registered again gets a new number and a new format.</remarks>
public sealed class EventFormat
{
    private readonly EventField[] _fields;

    /// <summary>Initializes a format.</summary>
    /// <param name="kind">The kind's number.</param>
    /// <param name="name">Its name: upper case for a built-in kind (<c>NETDEV</c>), as registered otherwise (<c>usb.device</c>).</param>
    /// <param name="fields">Its fields.</param>
    /// <param name="registered">For a registered kind: whether it is still registered (a departed kind's records keep their format).</param>
    /// <exception cref="ArgumentException">Two fields share a name or overlap.</exception>
    public EventFormat(EventKind kind, string name, IReadOnlyList<EventField> fields, bool registered = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(fields);
        Kind = kind;
        Name = name;
        Registered = registered;
        _fields = [.. fields];
        for (int i = 0; i < _fields.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                EventField a = _fields[i], b = _fields[j];
                if (a.Name == b.Name)
                {
                    throw new ArgumentException($"Kind {name}: two fields are named {a.Name}.", nameof(fields));
                }

                if (a.Offset < b.Offset + b.Size && b.Offset < a.Offset + a.Size)
                {
                    throw new ArgumentException($"Kind {name}: fields {b.Name} and {a.Name} overlap.", nameof(fields));
                }
            }

            Extent = Math.Max(Extent, _fields[i].Offset + _fields[i].Size);
        }
    }

    /// <summary>Gets the kind's number.</summary>
    public EventKind Kind { get; }

    /// <summary>Gets the kind's name: what <c>EFD_KIND</c>, configuration and <c>efdctl</c> call it.</summary>
    public string Name { get; }

    /// <summary>Gets the fields, in the order the format lists them.</summary>
    public IReadOnlyList<EventField> Fields => _fields;

    /// <summary>Gets the number of payload bytes the fields cover (the end of the last one).</summary>
    public int Extent { get; }

    /// <summary>Gets whether the kind is built into efd_lkm (numbers below <see cref="EventKind.UserFirst"/>).</summary>
    public bool IsBuiltIn => Kind < EventKind.UserFirst;

    /// <summary>Gets whether a registered kind is still registered; always <see langword="true"/> for a built-in kind.</summary>
    public bool Registered { get; }

    /// <summary>Finds a field by name, without allocating.</summary>
    /// <param name="name">The field's name (<c>ifname</c>).</param>
    /// <param name="field">The field, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when the kind has the field.</returns>
    public bool TryGetField(ReadOnlySpan<char> name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EventField? field)
    {
        foreach (EventField f in _fields)
        {
            if (name.SequenceEqual(f.Name))
            {
                field = f;
                return true;
            }
        }

        field = null;
        return false;
    }

    /// <summary>Tells whether <paramref name="name"/> can name a registered kind: <c>[a-z0-9_.]+</c>, at most 63 bytes.</summary>
    /// <param name="name">The name to test.</param>
    /// <returns><see langword="true"/> when it can.</returns>
    public static bool IsValidRegisteredName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.');

    /// <summary>The longest kind name, in bytes.</summary>
    public const int MaxNameLength = 63;

    /// <summary>Returns the format as sysfs writes it: one field a line, <c>name type offset size</c>.</summary>
    /// <returns>The text of a <c>format</c> file.</returns>
    public string ToSysfsText() => string.Concat(_fields.Select(f => f + "\n"));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({(uint)Kind})");
}
