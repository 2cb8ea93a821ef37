using System.CommandLine.Parsing;
using EfdDaemon;

namespace EfdCtl.Cli;

/// <summary>
/// Reads <c>--kind</c> values (repeated, or separated by commas) into what <c>listen</c> sends the
/// daemon: a built-in kind's name (<c>NETDEV</c>), an opaque kind's (<c>USER_0x1234</c>), a number's
/// canonical name (<c>REGISTERED_0x10000</c>), or a registered kind's name as written (<c>usb.device</c>).
/// </summary>
/// <remarks>
/// The rules are the daemon's (<c>KindFilter.Parse</c>), except that efdctl refuses a number outside
/// every range instead of sending it on as a name that no kind can have been registered under.
/// </remarks>
internal static class EventKindsParser
{
    /// <summary>The built-in kind names, offered as completions.</summary>
    public static string[] BuiltInNames { get; } = [.. BuiltInKinds.All.Select(f => f.Name)];

    /// <summary>A <see cref="System.CommandLine.Option{T}.CustomParser"/>: an error on the result for a kind it cannot read.</summary>
    public static string[]? Parse(ArgumentResult result)
    {
        var kinds = new List<string>();
        foreach (Token token in result.Tokens)
        {
            foreach (string text in token.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (TryParse(text) is not { } kind)
                {
                    result.AddError($"unknown event kind '{text}' (a built-in name such as NETDEV, a registered name such as usb.device, USER_0x1234, or a kind number)");
                    return null;
                }

                kinds.Add(kind);
            }
        }

        return [.. kinds];
    }

    /// <summary>Returns the canonical text of one kind, or <see langword="null"/>.</summary>
    public static string? TryParse(string text)
    {
        if (EventKindNames.TryParse(text, out EventKind kind))
        {
            return EventKindNames.GetName(kind);
        }

        return EventFormat.IsValidRegisteredName(text) && !LooksLikeANumber(text) ? text : null;
    }

    /// <summary>A number that <see cref="EventKindNames.TryParse"/> refused is out of every range, not a name.</summary>
    private static bool LooksLikeANumber(string text) =>
        text.All(char.IsAsciiDigit) || (text.StartsWith("0x", StringComparison.Ordinal) && text[2..].All(char.IsAsciiHexDigit));
}
