using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EfdDaemon.Events;

/// <summary>
/// The one renderer of an event's payload: every output (the log line, the journal's
/// <c>EFD_F_*</c> fields, an exec program's environment, <c>efdctl listen</c>'s <c>"fields"</c>)
/// shows the fields of the event's <see cref="KernelEvent.Format"/>, in its order, each rendered by
/// <see cref="FieldValue.TryFormat"/>. An event without a format (an opaque kind 0x1000–0xFFFF, or a
/// registered kind the daemon could not read) has one field, <c>payload</c>, in hexadecimal.
/// </summary>
/// <remarks>Fields past the payload's length (a module that sends fewer bytes) are left out, never shown as zero.</remarks>
internal static class EventFields
{
    /// <summary>The pseudo-field of an event without a format.</summary>
    public const string OpaqueFieldName = "payload";

    private static readonly EventField[] OpaqueFields = CreateOpaqueFields();

    public delegate void Visitor<TState>(ref TState state, EventField field, scoped ReadOnlySpan<char> text, bool isNumber)
        where TState : allows ref struct;

    /// <summary>Calls <paramref name="visit"/> once per field present in <paramref name="e"/>, with its text; <paramref name="visit"/> decides what to allocate.</summary>
    public static void Visit<TState>(in KernelEvent e, ref TState state, Visitor<TState> visit)
        where TState : allows ref struct
    {
        Span<char> text = stackalloc char[256];
        if (e.Format is not { } format)
        {
            int length = e.Payload.Length;
            if (length > 0 && e.TryGetField(OpaqueFields[length], out FieldValue payload) && payload.TryFormat(text, out int n))
            {
                visit(ref state, payload.Field, text[..n], false);
            }

            return;
        }

        foreach (EventField field in format.Fields)
        {
            if (e.TryGetField(field, out FieldValue value) && value.TryFormat(text, out int n))
            {
                ReadOnlySpan<char> t = text[..n];
                bool isNumber = field.IsInteger && field.Display == EventFieldDisplay.Default && n > 0 && (char.IsAsciiDigit(t[0]) || t[0] == '-');
                visit(ref state, field, t, isNumber);
            }
        }
    }

    /// <summary>The log line's details: <c>name=value</c> pairs (<c>ifname=eth0 ifindex=2 event=UP flags=0x1003</c>); a value with spaces, quotes, <c>=</c> or control characters is quoted.</summary>
    /// <param name="e">The event.</param>
    /// <param name="properties">When given, also gets one <c>F_&lt;name&gt;</c> property per field, from the same pass: the journal sink names them <c>EFD_F_&lt;NAME&gt;</c>.</param>
    public static string Describe(in KernelEvent e, List<KeyValuePair<string, object>>? properties = null)
    {
        if (e.Kind == EventKind.Signal)
        {
            return string.Create(CultureInfo.InvariantCulture, $"count={e.Count}");
        }

        var state = (Line: new StringBuilder(96), Properties: properties);
        Visit(in e, ref state, static (ref (StringBuilder Line, List<KeyValuePair<string, object>>? Properties) s, EventField f, scoped ReadOnlySpan<char> text, bool _) =>
        {
            if (s.Line.Length > 0)
            {
                s.Line.Append(' ');
            }

            s.Line.Append(f.Name).Append('=');
            AppendQuoted(s.Line, text);
            s.Properties?.Add(new("F_" + f.Name, text.ToString()));
        });
        return state.Line.ToString();
    }

    /// <summary>Adds one <c>EFD_F_&lt;NAME&gt;=value</c> variable per field.</summary>
    public static void AddEnvironment(in KernelEvent e, List<string> into) =>
        Visit(in e, ref into, static (ref List<string> env, EventField f, scoped ReadOnlySpan<char> text, bool _) =>
            env.Add(string.Concat(f.JournalName, "=", text)));

    /// <summary>Writes <c>"fields": { … }</c>: a number as a JSON number, anything else (names, text, addresses, hexadecimal) as a string.</summary>
    public static void WriteJson(Utf8JsonWriter writer, in KernelEvent e)
    {
        writer.WriteStartObject("fields");
        Visit(in e, ref writer, static (ref Utf8JsonWriter w, EventField f, scoped ReadOnlySpan<char> text, bool isNumber) =>
        {
            if (isNumber && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed))
            {
                w.WriteNumber(f.Name, signed);
            }
            else if (isNumber && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong big))
            {
                w.WriteNumber(f.Name, big);
            }
            else
            {
                w.WriteString(f.Name, text);
            }
        });
        writer.WriteEndObject();
    }

    private static void AppendQuoted(StringBuilder sb, ReadOnlySpan<char> text)
    {
        bool plain = text.Length > 0;
        foreach (char c in text)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '"' or '=' or '\\')
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            sb.Append(text);
            return;
        }

        sb.Append('"');
        foreach (char c in text)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\').Append(c);
            }
            else if (char.IsControl(c))
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                sb.Append(c);
            }
        }

        sb.Append('"');
    }

    private static EventField[] CreateOpaqueFields()
    {
        var fields = new EventField[KernelEvent.MaxPayloadLength + 1];
        for (int n = 1; n <= KernelEvent.MaxPayloadLength; n++)
        {
            fields[n] = new EventField(OpaqueFieldName, EventFieldType.Bytes, 0, n);
        }

        return fields;
    }
}
