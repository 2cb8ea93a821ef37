namespace EfdDaemon.Events;

/// <summary>What a handler's queue does when it is full (<c>Handlers:&lt;Name&gt;:FullQueuePolicy</c>).</summary>
internal enum FullQueuePolicy
{
    /// <summary>The default: the reader stops reading until there is room; the kernel ring holds the backlog.</summary>
    Lossless,

    /// <summary>Drop the oldest queued event to make room (the handler sees the latest state).</summary>
    DropOldest,

    /// <summary>Keep the queue, drop the event that does not fit.</summary>
    DropNewest,
}

/// <summary>The effective settings of one handler: its declaration merged with <c>Handlers:&lt;Name&gt;</c>.</summary>
/// <param name="InlineBudget">The longest call of an <see cref="IInlineEventHandler"/> on the reader thread before it moves to its queue for good; zero: never on the reader thread.</param>
internal sealed record HandlerSettings(bool Enabled, KindFilter Kinds, int QueueCapacity, TimeSpan Timeout, FullQueuePolicy Policy, TimeSpan MaxStall, TimeSpan InlineBudget)
{
    public const int DefaultQueueCapacity = 1024;
    public const FullQueuePolicy DefaultPolicy = FullQueuePolicy.Lossless;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultMaxStall = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultInlineBudget = TimeSpan.FromMicroseconds(20);

    /// <summary>Tells whether <paramref name="other"/> would change nothing (the kinds compared as sets).</summary>
    public bool SameAs(HandlerSettings other) =>
        Enabled == other.Enabled && Kinds.SetEquals(other.Kinds) && QueueCapacity == other.QueueCapacity
        && Timeout == other.Timeout && Policy == other.Policy && MaxStall == other.MaxStall && InlineBudget == other.InlineBudget;

    public static HandlerSettings Default(IEventHandler handler) =>
        new(true, KindFilter.From(handler.Kinds, handler.RegisteredKinds), DefaultQueueCapacity, DefaultTimeout, DefaultPolicy, DefaultMaxStall, DefaultInlineBudget);
}

/// <summary>
/// A set of event kinds, or "every kind": numbers (a bitmap over 0–0xFFFF, a set above) and names of
/// registered kinds, which match through the event's format, so a name configured before its
/// module registers it matches from the moment it does. Lookups never allocate.
/// </summary>
internal sealed class KindFilter
{
    public static readonly KindFilter All = new(null, null);

    private readonly ulong[]? _bits;
    private readonly HashSet<uint>? _registered;
    private readonly HashSet<string>? _names;

    private KindFilter(IReadOnlyCollection<EventKind>? kinds, IReadOnlyCollection<string>? names)
    {
        if (kinds is null)
        {
            return;
        }

        _bits = new ulong[0x10000 / 64];
        Kinds = [.. kinds.Distinct().Order()];
        foreach (EventKind kind in Kinds)
        {
            if ((uint)kind <= 0xFFFF)
            {
                _bits[(uint)kind >> 6] |= 1UL << (int)((uint)kind & 63);
            }
            else
            {
                (_registered ??= []).Add((uint)kind);
            }
        }

        if (names is { Count: > 0 })
        {
            Names = [.. names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            _names = new HashSet<string>(Names, StringComparer.Ordinal);
        }
    }

    /// <summary>Gets the kinds in the set by number, or <see langword="null"/> for every kind.</summary>
    public IReadOnlyList<EventKind>? Kinds { get; }

    /// <summary>Gets the names of registered kinds in the set.</summary>
    public IReadOnlyList<string> Names { get; } = [];

    public static KindFilter From(IReadOnlyCollection<EventKind>? kinds, IReadOnlyCollection<string>? names = null) =>
        kinds is null ? All : new KindFilter(kinds, names);

    /// <summary>Reads configured kinds: built-in names, <c>USER_0x1234</c>, numbers, and names of registered kinds (<c>usb.device</c>).</summary>
    /// <param name="texts">The configured entries.</param>
    /// <param name="error">Called with a message per entry that is none of these.</param>
    public static KindFilter Parse(IEnumerable<string> texts, Action<string> error)
    {
        var kinds = new List<EventKind>();
        var names = new List<string>();
        foreach (string text in texts)
        {
            if (EventKindNames.TryParse(text, out EventKind kind))
            {
                kinds.Add(kind);
            }
            else if (EventFormat.IsValidRegisteredName(text?.Trim()) && !LooksLikeANumber(text!.Trim()))
            {
                names.Add(text!.Trim());
            }
            else
            {
                error($"'{text}' is not an event kind (a name such as NETDEV or usb.device, USER_0x1234, or a number from 0x1000)");
            }
        }

        return new KindFilter(kinds, names);
    }

    /// <summary>A number outside every range (<c>99</c>, <c>0x999</c>) is an error, not the name of a kind to come.</summary>
    private static bool LooksLikeANumber(string text) =>
        text.All(char.IsAsciiDigit) || (text.StartsWith("0x", StringComparison.Ordinal) && text.Length > 2 && text[2..].All(char.IsAsciiHexDigit));

    public bool SetEquals(KindFilter other) =>
        Kinds is null ? other.Kinds is null : other.Kinds is not null && Kinds.SequenceEqual(other.Kinds) && Names.SequenceEqual(other.Names);

    /// <summary>Tells whether an event of <paramref name="kind"/> with <paramref name="format"/> is in the set.</summary>
    public bool Contains(EventKind kind, EventFormat? format)
    {
        if (_bits is null)
        {
            return true;
        }

        if ((uint)kind <= 0xFFFF)
        {
            return (_bits[(uint)kind >> 6] & (1UL << (int)((uint)kind & 63))) != 0;
        }

        return (_registered?.Contains((uint)kind) ?? false) || (_names is not null && format is not null && _names.Contains(format.Name));
    }

    /// <summary>The set as text: <c>*</c>, or its names (<c>NETDEV,TRIGGER,usb.device</c>).</summary>
    public override string ToString() =>
        Kinds is null ? "*" : string.Join(',', Kinds.Select(EventKindNames.GetName).Concat(Names));
}
