using System.Globalization;
using System.Text;
using EfdDaemon.Protocol;

namespace EfdCtl.Output;

/// <summary>One <c>efdctl listen</c> line per event, in the spirit of acpi_listen: <c>KIND seq=N key=value…</c>.</summary>
internal static class EventFormatter
{
    public static string Format(ListenEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Skipped is { } skipped)
        {
            return Invariant($"SKIPPED {skipped} events (efdctl listen could not keep up)");
        }

        string kind = e.Kind ?? (e.KindId is { } id ? Invariant($"KIND_{id}") : "UNKNOWN");
        var line = new StringBuilder(kind);
        line.Append(CultureInfo.InvariantCulture, $" seq={e.Seq ?? 0}");
        switch (kind)
        {
            case "TRIGGER":
                Append(line, "index", e.Index);
                Append(line, "batch", e.Batch);
                break;
            case "NETDEV":
                Append(line, "ifname", e.Ifname);
                if (e.NetdevEvent is { } ev)
                {
                    line.Append(' ').Append(NameOrNumber(ev, "event"));
                }

                Append(line, "ifindex", e.Ifindex);
                if (e.Flags is { } flags)
                {
                    line.Append(CultureInfo.InvariantCulture, $" flags=0x{flags:x}");
                }

                break;
            case "MODULE":
                Append(line, "module", e.Module);
                if (e.State is { } st)
                {
                    line.Append(' ').Append(NameOrNumber(st, "state"));
                }

                break;
            case "TICK":
                Append(line, "tick", e.Tick);
                break;
            case "ATTACHED":
                Append(line, "pid", e.Pid);
                Append(line, "fd", e.Fd);
                break;
            case "SIGNAL":
                Append(line, "count", e.Count);
                break;
            default:
                if (e.Count is { } count and not 1)
                {
                    Append(line, "count", count);
                }

                if (!string.IsNullOrEmpty(e.Payload))
                {
                    line.Append(" payload=").Append(PayloadHex(e.Payload));
                }

                break;
        }

        return line.ToString();
    }

    /// <summary>The daemon sends a value's name (<c>UP</c>), or its number in decimal when it has none: <c>event=8</c>.</summary>
    private static string NameOrNumber(string value, string key) =>
        value.Length > 0 && value.All(char.IsAsciiDigit) ? Invariant($"{key}={value}") : Clean(value);

    private static string PayloadHex(string base64)
    {
        try
        {
            return Convert.ToHexStringLower(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return base64;
        }
    }

    private static void Append(StringBuilder line, string key, string? value)
    {
        if (value is not null)
        {
            line.Append(' ').Append(key).Append('=').Append(Clean(value));
        }
    }

    /// <summary>Keeps one event on one line: control characters and spaces in names are escaped.</summary>
    private static string Clean(string value)
    {
        if (!value.Any(c => char.IsControl(c) || c == ' '))
        {
            return value;
        }

        var clean = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            clean.Append(char.IsControl(c) || c == ' ' ? Invariant($"\\x{(int)c:x2}") : c.ToString());
        }

        return clean.ToString();
    }

    private static void Append(StringBuilder line, string key, long? value) =>
        Append(line, key, value?.ToString(CultureInfo.InvariantCulture));

    private static void Append(StringBuilder line, string key, ulong? value) =>
        Append(line, key, value?.ToString(CultureInfo.InvariantCulture));

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
