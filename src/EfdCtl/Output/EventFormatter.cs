using System.Globalization;
using System.Text;
using System.Text.Json;
using EfdDaemon;
using EfdDaemon.Protocol;

namespace EfdCtl.Output;

/// <summary>
/// One <c>efdctl listen</c> line per event, in the spirit of acpi_listen:
/// <c>KIND seq=N name=value…</c>, one pair per field of the event's <c>"fields"</c>, in the daemon's order.
/// </summary>
/// <remarks>
/// Nothing here knows a kind: the daemon's catalogue names and renders every field, so a kind
/// registered after this efdctl was built prints as fully as a built-in one.
/// </remarks>
internal static class EventFormatter
{
    public static string Format(ListenEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Skipped is { } skipped)
        {
            return FormattableString.Invariant($"SKIPPED {skipped} events (efdctl listen could not keep up)");
        }

        var line = new StringBuilder(96);
        AppendClean(line, e.Kind ?? (e.KindId is { } id and >= 0 and <= uint.MaxValue ? EventKindNames.GetName((EventKind)id) : "UNKNOWN"));
        line.Append(CultureInfo.InvariantCulture, $" seq={e.Seq ?? 0}");

        // A record's count is always 1, so it is shown when it is not, or when there is nothing
        // else to show: a bare wake-up's count (SIGNAL) is all it says.
        bool nothingElse = e.Fields is null ? string.IsNullOrEmpty(e.Payload) : e.Fields.Count == 0;
        if (e.Count is { } count && (count != 1 || nothingElse))
        {
            line.Append(CultureInfo.InvariantCulture, $" count={count}");
        }

        if (e.Redelivered == true)
        {
            line.Append(" redelivered=1");
        }

        if (e.Fields is { } fields)
        {
            foreach ((string name, JsonElement value) in fields)
            {
                if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    continue;
                }

                line.Append(' ');
                AppendClean(line, name);
                line.Append('=');
                AppendClean(line, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
            }
        }
        else if (!string.IsNullOrEmpty(e.Payload))
        {
            // A daemon from before "fields": the payload is all there is to show.
            line.Append(" payload=").Append(PayloadHex(e.Payload));
        }

        return line.ToString();
    }

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

    /// <summary>
    /// Keeps one event on one line and one value one word: control characters, white space and
    /// backslashes are written <c>\xNN</c> (<c>\uNNNN</c> above U+00FF), so <c>ifname=a\x20b</c> is
    /// one field whatever the interface is called.
    /// </summary>
    private static void AppendClean(StringBuilder line, string value)
    {
        foreach (char c in value)
        {
            if (c > 0xFF && (char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                line.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            {
                line.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                line.Append(c);
            }
        }
    }
}
