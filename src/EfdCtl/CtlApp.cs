using System.CommandLine;
using EfdCtl.Cli;

namespace EfdCtl;

/// <summary>efdctl's entry: parse, run one command, turn failures into one stderr line and an exit code.</summary>
internal static class CtlApp
{
    /// <summary>Exit code of a command other than listen stopped by SIGINT/SIGTERM (the shell's 128 + SIGINT).</summary>
    public const int Interrupted = 130;

    public const string TryHelp = "Try 'efdctl --help' for more information.";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CtlContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ParseResult parsed = new CtlCommandLine(context).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // System.CommandLine's wording, efdctl's form: one line, a hint, exit code 2 (its own default is 1).
            await context.Error.WriteLineAsync($"efdctl: {UsageError.Pick(parsed).Message}");
            await context.Error.WriteLineAsync(TryHelp);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // Program.cs owns SIGINT/SIGTERM: they cancel cancellationToken
        };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken);
        }
        catch (CtlException e)
        {
            await context.Error.WriteLineAsync($"efdctl: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("efdctl: interrupted");
            return Interrupted;
        }
    }
}
