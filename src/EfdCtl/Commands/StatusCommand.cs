using EfdCtl.Cli;
using EfdCtl.Control;
using EfdDaemon.Protocol;
using EfdCtl.Output;
using EfdCtl.RunFiles;
using EfdDaemon.Sysfs;

namespace EfdCtl.Commands;

/// <summary><c>efdctl status</c>: run files, the module's sysfs figures and the daemon's status reply.</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(CtlCommand command, CtlContext context, CancellationToken cancellationToken)
    {
        DaemonRunFiles run = DaemonRunFiles.Read(command.RunDirectory, context.IsRoot);
        ModuleFigures module = new ModuleSysfs(command.SysfsDirectory).Read();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(context.ReplyTimeout);
        string raw;
        ControlReply reply;
        try
        {
            await using ControlClient client = await ControlClient.ConnectAsync(run.SocketPath, context.IsRoot, timeout.Token);
            (raw, reply) = await client.StatusAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw CtlException.Failed($"efd-daemon (pid {run.Pid}) did not reply within {context.ReplyTimeout.TotalSeconds:0.#} s on {run.SocketPath}");
        }

        if (!reply.Ok)
        {
            throw CtlException.Failed($"efd-daemon replied: {reply.Error ?? "error without a reason"}");
        }

        await context.Out.WriteAsync(command.Json
            ? StatusJsonWriter.Write(run, module, raw) + "\n"
            : StatusFormatter.Format(run, module, reply));
        return ExitCodes.Ok;
    }
}
