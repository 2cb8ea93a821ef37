using System.Globalization;

namespace EfdDaemon;

/// <summary>Stable text names of <see cref="EventKind"/> numbers, as used in configuration, logs and <c>EFD_KIND</c>.</summary>
/// <remarks>
/// A registered kind's name (<c>usb.device</c>) lives in its <see cref="EventFormat"/>, which
/// <see cref="KernelEvent.Format"/> carries; these methods know numbers only, and name a registered
/// kind whose format is not known <c>REGISTERED_0x10000</c>.
/// </remarks>
public static class EventKindNames
{
    /// <summary>Returns the name of <paramref name="kind"/>: <c>TRIGGER</c>, <c>NETDEV</c>, …, <c>USER_0x1234</c> for an opaque kind, <c>REGISTERED_0x10000</c> for a registered one, or <c>UNKNOWN_n</c>.</summary>
    /// <param name="kind">The kind to name.</param>
    /// <returns>A name that <see cref="TryParse"/> reads back.</returns>
    public static string GetName(EventKind kind) => kind switch
    {
        _ when BuiltInKinds.Get(kind) is { } format => format.Name,
        >= EventKind.UserFirst and <= EventKind.UserLast =>
            string.Create(CultureInfo.InvariantCulture, $"USER_0x{(uint)kind:X4}"),
        >= EventKind.RegisteredFirst => string.Create(CultureInfo.InvariantCulture, $"REGISTERED_0x{(uint)kind:X}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"UNKNOWN_{(uint)kind}"),
    };

    /// <summary>Returns the name of the kind of <paramref name="e"/>: its format's name when it has one (<c>usb.device</c>), else <see cref="GetName(EventKind)"/>.</summary>
    /// <param name="e">The event.</param>
    /// <returns>The name.</returns>
    public static string GetName(in KernelEvent e) => e.Format?.Name ?? GetName(e.Kind);

    /// <summary>Reads a kind from a built-in name (case-insensitive), from <c>USER_0x1234</c> or <c>REGISTERED_0x10000</c>, or from a decimal or <c>0x</c> hexadecimal number.</summary>
    /// <param name="text">The text to read.</param>
    /// <param name="kind">The kind read, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> names a built-in kind, or a number in the opaque or the registered range.</returns>
    /// <remarks>A registered kind's name is not a number: the daemon resolves it (configuration accepts it before the kind exists).</remarks>
    public static bool TryParse(string? text, out EventKind kind)
    {
        kind = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string t = text.Trim();
        if (BuiltInKinds.TryGet(t, out EventFormat? format))
        {
            kind = format.Kind;
            return true;
        }

        Func<EventKind, bool> inRange = k => BuiltInKinds.Get(k) is not null || IsUser(k) || IsRegistered(k);
        if (t.StartsWith("USER_", StringComparison.OrdinalIgnoreCase))
        {
            t = t[5..];
            inRange = IsUser;
        }
        else if (t.StartsWith("REGISTERED_", StringComparison.OrdinalIgnoreCase))
        {
            t = t[11..];
            inRange = IsRegistered;
        }

        uint value;
        bool ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || !inRange((EventKind)value))
        {
            return false;
        }

        kind = (EventKind)value;
        return true;
    }

    /// <summary>Tells whether <paramref name="kind"/> lies in the range other modules raise through <c>efd_lkm_notify()</c> without registering.</summary>
    /// <param name="kind">The kind to test.</param>
    /// <returns><see langword="true"/> for 0x1000–0xFFFF.</returns>
    public static bool IsUser(EventKind kind) => kind is >= EventKind.UserFirst and <= EventKind.UserLast;

    /// <summary>Tells whether <paramref name="kind"/> is the number of a registered kind.</summary>
    /// <param name="kind">The kind to test.</param>
    /// <returns><see langword="true"/> from 0x10000.</returns>
    public static bool IsRegistered(EventKind kind) => kind >= EventKind.RegisteredFirst;
}
