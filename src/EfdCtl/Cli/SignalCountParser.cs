using System.CommandLine.Parsing;
using System.Globalization;

namespace EfdCtl.Cli;

/// <summary>Reads <c>signal [N]</c>: a whole number from 1 to the eventfd counter's maximum, 1 when absent.</summary>
internal static class SignalCountParser
{
    /// <summary>A <see cref="System.CommandLine.Argument{T}.CustomParser"/>: an error on the result for a count out of range.</summary>
    public static ulong Parse(ArgumentResult result)
    {
        if (result.Tokens.Count == 0 || UsageError.RejectOptionLike(result))
        {
            return 1;
        }

        // The eventfd counter holds at most 2^64 - 2; the module's trigger takes the same decimal.
        string text = result.Tokens[0].Value;
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) || n == 0 || n == ulong.MaxValue)
        {
            result.AddError($"signal: N must be a whole number from 1 to {ulong.MaxValue - 1}, not '{text}'");
            return 0;
        }

        return n;
    }
}
