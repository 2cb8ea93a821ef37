namespace EfdDaemon;

/// <summary>
/// The formats of the kinds built into efd_lkm: the one table that every renderer (journal, exec
/// environment, <c>efdctl listen</c>) and the typed payloads of <see cref="KernelEvent"/> follow.
/// It matches <c>/sys/kernel/efd_lkm/kinds/&lt;n&gt;/format</c> field for field (a VM test compares
/// them); the value names are what logs and exec rules call the kernel's values.
/// </summary>
public static class BuiltInKinds
{
    private static readonly (long, string)[] NetdevEvents = [(1, "UP"), (2, "DOWN"), (4, "CHANGE")];

    /// <summary>
    /// INPUT's codes by the kernel's names: the six system keys (116 and up) and the switches (0–16).
    /// The ranges do not overlap, so one table names both types' codes.
    /// </summary>
    private static readonly (long, string)[] InputCodes =
    [
        (0, "SW_LID"), (1, "SW_TABLET_MODE"), (2, "SW_HEADPHONE_INSERT"), (3, "SW_RFKILL_ALL"),
        (4, "SW_MICROPHONE_INSERT"), (5, "SW_DOCK"), (6, "SW_LINEOUT_INSERT"), (7, "SW_JACK_PHYSICAL_INSERT"),
        (8, "SW_VIDEOOUT_INSERT"), (9, "SW_CAMERA_LENS_COVER"), (10, "SW_KEYPAD_SLIDE"), (11, "SW_FRONT_PROXIMITY"),
        (12, "SW_ROTATE_LOCK"), (13, "SW_LINEIN_INSERT"), (14, "SW_MUTE_DEVICE"), (15, "SW_PEN_INSERTED"),
        (16, "SW_MACHINE_COVER"),
        (116, "KEY_POWER"), (142, "KEY_SLEEP"), (143, "KEY_WAKEUP"), (205, "KEY_SUSPEND"), (236, "KEY_BATTERY"),
        (247, "KEY_RFKILL"),
    ];

    private static readonly EventFormat[] ByNumber =
    [
        new(EventKind.Signal, "SIGNAL", []),
        new(EventKind.Attached, "ATTACHED", [I("pid", EventFieldType.S32, 0), I("fd", EventFieldType.S32, 4)]),
        new(EventKind.Trigger, "TRIGGER", [I("index", EventFieldType.U32, 0), I("batch", EventFieldType.U32, 4)]),
        new(EventKind.Netdev, "NETDEV",
        [
            S("ifname", 0, 16), I("ifindex", EventFieldType.U32, 16), I("event", EventFieldType.U32, 20, NetdevEvents),
            new EventField("flags", EventFieldType.U32, 24, 4, EventFieldDisplay.Hex), I("netns", EventFieldType.U32, 28),
        ]),
        new(EventKind.Module, "MODULE", [S("name", 0, 56), I("state", EventFieldType.U32, 56, [(0, "LIVE"), (1, "COMING"), (2, "GOING")])]),
        new(EventKind.Tick, "TICK", [I("n", EventFieldType.U64, 0)]),
        new(EventKind.Input, "INPUT",
        [
            S("device", 0, 32), I("type", EventFieldType.U16, 32, [(1, "KEY"), (5, "SW")]), I("code", EventFieldType.U16, 34, InputCodes),
            I("value", EventFieldType.S32, 36),
        ]),
        new(EventKind.Power, "POWER",
        [
            S("name", 0, 32),
            I("type", EventFieldType.U32, 32, [(0, "UNKNOWN"), (1, "BATTERY"), (2, "UPS"), (3, "MAINS"), (4, "USB")]),
            I("online", EventFieldType.S32, 36),
            I("status", EventFieldType.S32, 40, [(0, "UNKNOWN"), (1, "CHARGING"), (2, "DISCHARGING"), (3, "NOT_CHARGING"), (4, "FULL")]),
            I("capacity", EventFieldType.S32, 44), S("parent", 48, 24),
        ]),
        new(EventKind.Ifaddr, "IFADDR",
        [
            S("ifname", 0, 16), I("ifindex", EventFieldType.U32, 16), I("event", EventFieldType.U32, 20, NetdevEvents),
            I("netns", EventFieldType.U32, 24), I("family", EventFieldType.U16, 28, [(2, "inet"), (10, "inet6")]),
            I("prefixlen", EventFieldType.U8, 30), new EventField("addr", EventFieldType.Bytes, 32, 16, EventFieldDisplay.Address),
        ]),
        new(EventKind.Pm, "PM",
        [
            I("event", EventFieldType.U32, 0,
            [
                (1, "HIBERNATION_PREPARE"), (2, "POST_HIBERNATION"), (3, "SUSPEND_PREPARE"), (4, "POST_SUSPEND"),
                (5, "RESTORE_PREPARE"), (6, "POST_RESTORE"),
            ]),
        ]),
        new(EventKind.Cpu, "CPU", [I("cpu", EventFieldType.U32, 0), I("online", EventFieldType.U32, 4)]),
        new(EventKind.KindChange, "KIND", [I("kind", EventFieldType.U32, 0), I("registered", EventFieldType.U32, 4), S("name", 8, 64)]),
    ];

    /// <summary>Gets the built-in formats, in kind order, <see cref="EventKind.Signal"/> (no fields) first.</summary>
    public static IReadOnlyList<EventFormat> All => ByNumber;

    /// <summary>Returns the format of a built-in kind, or <see langword="null"/> for any other number.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The format, or <see langword="null"/>.</returns>
    public static EventFormat? Get(EventKind kind) => (uint)kind < (uint)ByNumber.Length ? ByNumber[(int)kind] : null;

    /// <summary>Finds a built-in kind by name, ignoring case.</summary>
    /// <param name="name">The name (<c>NETDEV</c>, <c>netdev</c>).</param>
    /// <param name="format">The format, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> for a built-in name.</returns>
    public static bool TryGet(ReadOnlySpan<char> name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EventFormat? format)
    {
        foreach (EventFormat f in ByNumber)
        {
            if (name.Equals(f.Name, StringComparison.OrdinalIgnoreCase))
            {
                format = f;
                return true;
            }
        }

        format = null;
        return false;
    }

    private static EventField I(string name, EventFieldType type, int offset, (long, string)[]? names = null) =>
        new(name, type, offset, EventFieldTypes.FixedSize(type), EventFieldDisplay.Default, names);

    private static EventField S(string name, int offset, int size) => new(name, EventFieldType.Str, offset, size);
}
