using EfdCtl.Cli;
using EfdCtl.Commands;

namespace EfdCtl;

/// <summary>efdctl's entry: parse, run one command, turn failures into one stderr line and an exit code.</summary>
internal static class CtlApp
{
    /// <summary>Exit code of a command other than listen stopped by SIGINT/SIGTERM (the shell's 128 + SIGINT).</summary>
    public const int Interrupted = 130;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CtlContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            CtlCommand command = CommandLineParser.Parse(args, context.GetEnvironmentVariable);
            switch (command.Kind)
            {
                case CommandKind.Help:
                    await context.Out.WriteAsync(HelpText.Usage + "\n");
                    return ExitCodes.Ok;
                case CommandKind.Version:
                    await context.Out.WriteLineAsync(HelpText.Version);
                    return ExitCodes.Ok;
                case CommandKind.Status:
                    return await StatusCommand.RunAsync(command, context, cancellationToken);
                case CommandKind.Signal:
                    return SignalCommand.Run(command, context);
                case CommandKind.CheckConfig:
                    return await CheckConfigCommand.RunAsync(command, context, cancellationToken);
                case CommandKind.Listen:
                    return await ListenCommand.RunAsync(command, context, cancellationToken);
                default:
                    throw new InvalidOperationException($"unhandled command {command.Kind}");
            }
        }
        catch (CtlException e)
        {
            await context.Error.WriteLineAsync($"efdctl: {e.Message}");
            if (e.ExitCode == ExitCodes.Usage)
            {
                await context.Error.WriteLineAsync(HelpText.TryHelp);
            }

            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("efdctl: interrupted");
            return Interrupted;
        }
    }
}
