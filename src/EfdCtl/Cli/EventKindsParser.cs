using System.CommandLine.Parsing;
using EfdDaemon;

namespace EfdCtl.Cli;

/// <summary>Reads <c>--kind</c> values (repeated, or separated by commas) into canonical kind names.</summary>
internal static class EventKindsParser
{
    /// <summary>The built-in kind names, offered as completions.</summary>
    public static string[] BuiltInNames { get; } =
        [.. Enumerable.Range((int)EventKind.Signal, (int)(EventKind.Tick - EventKind.Signal) + 1).Select(k => EventKindNames.GetName((EventKind)k))];

    /// <summary>A <see cref="System.CommandLine.Option{T}.CustomParser"/>: an error on the result for a kind it cannot read.</summary>
    public static string[]? Parse(ArgumentResult result)
    {
        var kinds = new List<string>();
        foreach (Token token in result.Tokens)
        {
            foreach (string text in token.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!EventKindNames.TryParse(text, out EventKind kind))
                {
                    result.AddError($"unknown event kind '{text}' (a name such as TRIGGER or NETDEV, USER_0x1234, or a number)");
                    return null;
                }

                kinds.Add(EventKindNames.GetName(kind));
            }
        }

        return [.. kinds];
    }
}
