using System.Globalization;
using Serilog.Events;
using Serilog.Parsing;

namespace EfdDaemon.Logging;

/// <summary>Renders a message with string values unquoted (Serilog's <c>:l</c>), for the console and MESSAGE=.</summary>
internal static class MessageRenderer
{
    public static string Render(LogEvent logEvent)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        foreach (MessageTemplateToken token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken p && logEvent.Properties.TryGetValue(p.PropertyName, out LogEventPropertyValue? value))
            {
                if (value is ScalarValue { Value: string s })
                {
                    output.Write(s);
                }
                else
                {
                    value.Render(output, p.Format, CultureInfo.InvariantCulture);
                }
            }
            else if (token is TextToken t)
            {
                output.Write(t.Text);
            }
            else
            {
                token.Render(logEvent.Properties, output, CultureInfo.InvariantCulture);
            }
        }

        return output.ToString();
    }
}
