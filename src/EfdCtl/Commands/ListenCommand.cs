using System.Text.Json;
using EfdCtl.Cli;
using EfdCtl.Control;
using EfdDaemon.Protocol;
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
        catch (OutputClosedException)
        {
            return ExitCodes.Ok; // whoever read our output has gone (`efdctl listen | head -1`)
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

        try
        {
            await output.WriteLineAsync(command.Json || e is null ? line : EventFormatter.Format(e));
            await output.FlushAsync();
        }
        catch (IOException ex)
        {
            throw new OutputClosedException(ex);
        }
    }

    /// <summary>Writing an event to stdout failed (EPIPE): the reader went away.</summary>
    private sealed class OutputClosedException(IOException inner) : Exception(inner.Message, inner);

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
