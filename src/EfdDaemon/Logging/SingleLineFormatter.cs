using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;

namespace EfdDaemon.Logging;

/// <summary>Console output outside systemd: one line per entry, exception folded onto the same line.</summary>
internal sealed class SingleLineFormatter : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        string level = logEvent.Level switch
        {
            LogEventLevel.Verbose => "VRB",
            LogEventLevel.Debug => "DBG",
            LogEventLevel.Information => "INF",
            LogEventLevel.Warning => "WRN",
            LogEventLevel.Error => "ERR",
            _ => "CRT",
        };
        output.Write(logEvent.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
        output.Write(' ');
        output.Write(level);
        output.Write(' ');
        output.Write(OneLine(MessageRenderer.Render(logEvent)));
        if (logEvent.Exception is { } ex)
        {
            output.Write(" | ");
            output.Write(OneLine(ex.ToString()));
        }

        output.Write('\n');
    }

    private static string OneLine(string text) => text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", " ⏎ ", StringComparison.Ordinal);
}
