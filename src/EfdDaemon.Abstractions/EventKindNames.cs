using System.Globalization;

namespace EfdDaemon;

/// <summary>Stable text names of <see cref="EventKind"/> values, as used in configuration, logs and <c>EFD_KIND</c>.</summary>
public static class EventKindNames
{
    /// <summary>Returns the upper-case name of <paramref name="kind"/> (<c>TRIGGER</c>, <c>NETDEV</c>, …), <c>USER_0x1234</c> for a user kind, or <c>UNKNOWN_n</c>.</summary>
    /// <param name="kind">The kind to name.</param>
    /// <returns>A name that <see cref="TryParse"/> reads back.</returns>
    public static string GetName(EventKind kind) => kind switch
    {
        EventKind.Signal => "SIGNAL",
        EventKind.Attached => "ATTACHED",
        EventKind.Trigger => "TRIGGER",
        EventKind.Netdev => "NETDEV",
        EventKind.Module => "MODULE",
        EventKind.Tick => "TICK",
        >= EventKind.UserFirst and <= EventKind.UserLast =>
            string.Create(CultureInfo.InvariantCulture, $"USER_0x{(uint)kind:X4}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"UNKNOWN_{(uint)kind}"),
    };

    /// <summary>Reads a kind from its name (case-insensitive), from <c>USER_0x1234</c>, or from a decimal or <c>0x</c> hexadecimal number.</summary>
    /// <param name="text">The text to read.</param>
    /// <param name="kind">The kind read, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> names a built-in kind or a number in the user range.</returns>
    public static bool TryParse(string? text, out EventKind kind)
    {
        kind = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string t = text.Trim();
        foreach (EventKind k in BuiltIn)
        {
            if (string.Equals(t, GetName(k), StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }

        if (t.StartsWith("USER_", StringComparison.OrdinalIgnoreCase))
        {
            t = t[5..];
        }

        uint value;
        bool ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || !(IsBuiltIn((EventKind)value) || IsUser((EventKind)value)))
        {
            return false;
        }

        kind = (EventKind)value;
        return true;
    }

    /// <summary>Tells whether <paramref name="kind"/> lies in the range other modules raise through <c>efd_lkm_notify()</c>.</summary>
    /// <param name="kind">The kind to test.</param>
    /// <returns><see langword="true"/> for 0x1000–0xFFFF.</returns>
    public static bool IsUser(EventKind kind) => kind is >= EventKind.UserFirst and <= EventKind.UserLast;

    private static bool IsBuiltIn(EventKind kind) => kind is >= EventKind.Signal and <= EventKind.Tick;

    private static readonly EventKind[] BuiltIn =
    [
        EventKind.Signal, EventKind.Attached, EventKind.Trigger, EventKind.Netdev, EventKind.Module, EventKind.Tick,
    ];
}
