using System.CommandLine;
using System.CommandLine.Parsing;

namespace EfdCtl.Cli;

/// <summary>Which of a parse's errors efdctl reports: it prints one line where System.CommandLine prints them all.</summary>
internal static class UsageError
{
    /// <summary>
    /// The first error, except that for <c>efdctl frobnicate</c> System.CommandLine puts "Required
    /// command was not provided." before "Unrecognized command or argument 'frobnicate'.": the word the
    /// user got wrong is the more useful line.
    /// </summary>
    public static ParseError Pick(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed is { CommandResult.Command: RootCommand, UnmatchedTokens.Count: > 0, Errors.Count: > 1 }
            ? parsed.Errors[1]
            : parsed.Errors[0];
    }

    /// <summary>
    /// Adds System.CommandLine's unrecognized-token error for a command argument that looks like an
    /// option (<c>signal --json</c>): System.CommandLine would take it as the value. <c>-</c> and
    /// <c>-5</c> stay values, as they always were.
    /// </summary>
    /// <returns><see langword="true"/> when an error was added.</returns>
    public static bool RejectOptionLike(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (Token token in result.Tokens)
        {
            string v = token.Value;
            if (v.Length > 1 && v[0] == '-' && !char.IsAsciiDigit(v[1]))
            {
                result.AddError($"Unrecognized command or argument '{v}'.");
                return true;
            }
        }

        return false;
    }
}
