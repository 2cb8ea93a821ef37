using System.Text;
using System.Text.RegularExpressions;

namespace EfdDaemon.Handlers.Exec;

/// <summary>A shell-style wildcard pattern (fnmatch without flags): <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>, <c>[!0-9]</c>, <c>\x</c>.</summary>
/// <remarks>The whole text must match; <c>*</c> and <c>?</c> match any character, newlines included.</remarks>
internal sealed class Glob
{
    private readonly Regex _regex;

    private Glob(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    public string Pattern { get; }

    public bool IsMatch(string text) => _regex.IsMatch(text);

    public bool IsMatch(ReadOnlySpan<char> text) => _regex.IsMatch(text);

    /// <summary>Compiles <paramref name="pattern"/>; returns <see langword="null"/> and why when it is malformed.</summary>
    public static Glob? TryParse(string pattern, out string? error)
    {
        var regex = new StringBuilder(@"\A");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '\\':
                    if (++i == pattern.Length)
                    {
                        error = $"'{pattern}' ends with a lone backslash";
                        return null;
                    }

                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                case '[':
                    int end = ClassEnd(pattern, i);
                    if (end < 0)
                    {
                        error = $"'{pattern}' has a '[' without its ']'";
                        return null;
                    }

                    AppendClass(regex, pattern.AsSpan(i + 1, end - i - 1));
                    i = end;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        regex.Append(@"\z");
        try
        {
            error = null;
            return new Glob(pattern, new Regex(regex.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
        }
        catch (ArgumentException ex)
        {
            error = $"'{pattern}' is not a valid pattern: {ex.Message}";
            return null;
        }
    }

    /// <summary>Finds the <c>]</c> closing the class opened at <paramref name="open"/>; a <c>]</c> right after <c>[</c> or <c>[!</c> is a member.</summary>
    private static int ClassEnd(string pattern, int open)
    {
        int i = open + 1;
        if (i < pattern.Length && (pattern[i] == '!' || pattern[i] == '^'))
        {
            i++;
        }

        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        return pattern.IndexOf(']', i);
    }

    private static void AppendClass(StringBuilder regex, ReadOnlySpan<char> members)
    {
        regex.Append('[');
        if (members.Length > 0 && (members[0] == '!' || members[0] == '^'))
        {
            regex.Append('^');
            members = members[1..];
        }

        foreach (char m in members)
        {
            // Keep '-' as the range operator; escape what means something else inside a .NET class.
            if (m is '\\' or '[' or ']' or '^')
            {
                regex.Append('\\');
            }

            regex.Append(m);
        }

        regex.Append(']');
    }
}
