using System.Text.Json;
using EfdCtl.Cli;
using EfdCtl.Control;
using EfdCtl.Output;
using EfdCtl.RunFiles;

namespace EfdCtl.Commands;

/// <summary><c>efdctl listen</c>: live events, one line each, until SIGINT/SIGTERM (exit 0) or the daemon goes away (exit 3).</summary>
internal static class ListenCommand
{
    public static async Task<int> RunAsync(CtlCommand command, CtlContext context, CancellationToken cancellationToken)
    {
        DaemonRunFiles run = DaemonRunFiles.Read(command.RunDirectory, context.IsRoot);
        try
        {
            await using ControlClient client = await ControlClient.ConnectAsync(run.SocketPath, context.IsRoot, cancellationToken);
            await foreach (string line in client.ListenAsync(command.Kinds, context.Listening, cancellationToken))
            {
                await WriteEventAsync(line, command, context.Out);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }

        throw new CtlException(ExitCodes.NotRunning, $"efd-daemon (pid {run.Pid}) closed the control connection: it stopped");
    }

    private static async Task WriteEventAsync(string line, CtlCommand command, TextWriter output)
    {
        ListenEvent? e = TryParse(line);
        if (e?.Kind is { } kind && command.Kinds.Count > 0 && !command.Kinds.Contains(kind, StringComparer.OrdinalIgnoreCase))
        {
            return; // a daemon that ignored the filter: filter here too
        }

        await output.WriteLineAsync(command.Json || e is null ? line : EventFormatter.Format(e));
        await output.FlushAsync();
    }

    private static ListenEvent? TryParse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, ControlJsonContext.Default.ListenEvent);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
