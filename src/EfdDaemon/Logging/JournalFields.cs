using System.Text;

namespace EfdDaemon.Logging;

/// <summary>Journal field names for log properties (src/EfdDaemon/INTERFACES.md) and syslog priorities for levels.</summary>
internal static class JournalFields
{
    public const string SyslogIdentifier = "efd-daemon";

    private static readonly Dictionary<string, string> Fixed = new(StringComparer.Ordinal)
    {
        ["Kind"] = "EFD_KIND",
        ["Sequence"] = "EFD_SEQ",
        ["Handler"] = "HANDLER",
        ["Pid"] = "EFD_PID",
        ["EventFd"] = "EFD_FD",
        ["Plugin"] = "PLUGIN",
        ["Rule"] = "EXEC_RULE",
        ["EventId"] = "EFD_EVENT_ID",
    };

    /// <summary>The journal field for property <paramref name="property"/>: a fixed name, else <c>EFD_&lt;UPPER_SNAKE&gt;</c>; null when nothing valid remains.</summary>
    public static string? FieldName(string property)
    {
        if (Fixed.TryGetValue(property, out string? name))
        {
            return name;
        }

        var sb = new StringBuilder("EFD_", property.Length + 8);
        for (int i = 0; i < property.Length; i++)
        {
            char c = property[i];
            if (char.IsAsciiLetterUpper(c) && i > 0 && (char.IsAsciiLetterLower(property[i - 1]) || char.IsAsciiDigit(property[i - 1])
                || (i + 1 < property.Length && char.IsAsciiLetterLower(property[i + 1]) && char.IsAsciiLetterUpper(property[i - 1]))))
            {
                sb.Append('_');
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
            else if (sb[^1] != '_')
            {
                sb.Append('_');
            }
        }

        string result = sb.ToString().TrimEnd('_');
        return result.Length > 4 && result.Length <= 64 ? result : null;
    }

    /// <summary>syslog priority of a Serilog level: Fatal (Critical) 2, Error 3, Warning 4, Information 6, Debug and Verbose 7.</summary>
    public static int Priority(Serilog.Events.LogEventLevel level) => level switch
    {
        Serilog.Events.LogEventLevel.Fatal => 2,
        Serilog.Events.LogEventLevel.Error => 3,
        Serilog.Events.LogEventLevel.Warning => 4,
        Serilog.Events.LogEventLevel.Information => 6,
        _ => 7,
    };
}
