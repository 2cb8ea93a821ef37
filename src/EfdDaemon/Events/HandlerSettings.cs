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
        new(true, KindFilter.From(handler.Kinds), DefaultQueueCapacity, DefaultTimeout, DefaultPolicy, DefaultMaxStall, DefaultInlineBudget);
}

/// <summary>A set of event kinds as a bitmap over 0–0xFFFF, or "every kind"; lookups never allocate.</summary>
internal sealed class KindFilter
{
    public static readonly KindFilter All = new(null);

    private readonly ulong[]? _bits;

    private KindFilter(IReadOnlyCollection<EventKind>? kinds)
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
        }
    }

    /// <summary>Gets the kinds in the set, or <see langword="null"/> for every kind.</summary>
    public IReadOnlyList<EventKind>? Kinds { get; }

    public static KindFilter From(IReadOnlyCollection<EventKind>? kinds) => kinds is null ? All : new KindFilter(kinds);

    public bool SetEquals(KindFilter other) =>
        Kinds is null ? other.Kinds is null : other.Kinds is not null && Kinds.SequenceEqual(other.Kinds);

    public bool Contains(EventKind kind) =>
        _bits is null || ((uint)kind <= 0xFFFF && (_bits[(uint)kind >> 6] & (1UL << (int)((uint)kind & 63))) != 0);
}
