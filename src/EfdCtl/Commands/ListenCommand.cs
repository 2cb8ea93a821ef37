using System.Text.Json;
using EfdCtl.Cli;
using EfdDaemon;
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
            var wanted = new KindMatch(command.Kinds);
            await foreach (string line in client.ListenAsync(command.Kinds, context.Listening, cancellationToken))
            {
                await WriteEventAsync(line, command, wanted, context);
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

    private static async Task WriteEventAsync(string line, CtlCommand command, KindMatch wanted, CtlContext context)
    {
        ListenEvent? e = TryParse(line);
        if (e is not null && !wanted.Matches(e))
        {
            return; // a daemon that ignored the filter: filter here too
        }

        if (Render(line, e, command) is not { } text)
        {
            return; // --acpid: an event acpid would not have emitted
        }

        // With --acpid stdout holds acpi_listen's lines only; that events were missed still shows.
        TextWriter output = command.Acpid && (e is null || e.Skipped is not null) ? context.Error : context.Out;
        try
        {
            await output.WriteLineAsync(text);
            await output.FlushAsync();
        }
        catch (IOException ex)
        {
            throw new OutputClosedException(ex);
        }
    }

    /// <summary>The line to print: the daemon's JSON (<c>--json</c>), acpid's string (<c>--acpid</c>; none for other events) or the text form.</summary>
    private static string? Render(string line, ListenEvent? e, CtlCommand command) =>
        command.Json || e is null ? line
        : command.Acpid && e.Skipped is null ? e.Acpid
        : EventFormatter.Format(e);

    /// <summary>
    /// The kinds asked for, as <see cref="EventKindsParser"/> wrote them: a number or a built-in name
    /// matches the event's <c>kindId</c>, a registered name its <c>kind</c>. An event that says
    /// neither passes (it cannot be told apart).
    /// </summary>
    private sealed class KindMatch(IReadOnlyList<string> kinds)
    {
        private readonly HashSet<long> _numbers = [.. Numbers(kinds)];
        private readonly HashSet<string> _names = [.. kinds];

        public bool Matches(ListenEvent e) =>
            kinds.Count == 0
            || (e.KindId is null && e.Kind is null)
            || (e.KindId is { } id && _numbers.Contains(id))
            || (e.Kind is { } name && _names.Contains(name));

        private static IEnumerable<long> Numbers(IEnumerable<string> kinds)
        {
            foreach (string kind in kinds)
            {
                if (EventKindNames.TryParse(kind, out EventKind number))
                {
                    yield return (uint)number;
                }
            }
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
