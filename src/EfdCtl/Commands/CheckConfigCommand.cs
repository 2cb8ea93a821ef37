using System.ComponentModel;
using System.Diagnostics;
using EfdCtl.Cli;
using EfdDaemon;

namespace EfdCtl.Commands;

/// <summary><c>efdctl check-config [FILE]</c>: runs <c>efd-daemon --check-config [FILE]</c> and relays its output.</summary>
internal static class CheckConfigCommand
{
    public const string DaemonVariable = "EFD_DAEMON";
    public const string InstalledDaemon = InstalledLayout.DaemonPath;

    public static async Task<int> RunAsync(CtlCommand command, CtlContext context, CancellationToken cancellationToken)
    {
        string daemon = LocateDaemon(context);
        var start = new ProcessStartInfo(daemon)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--check-config");
        if (command.ConfigFile is { } file)
        {
            start.ArgumentList.Add(Path.GetFullPath(file));
        }

        using Process process = Start(start, daemon, context.IsRoot);
        Task relayOut = Relay(process.StandardOutput, context.Out, cancellationToken);
        Task relayError = Relay(process.StandardError, context.Error, cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
            await Task.WhenAll(relayOut, relayError);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode switch
        {
            DaemonExitCodes.Ok => ExitCodes.Ok,
            DaemonExitCodes.InvalidConfiguration => ExitCodes.InvalidConfiguration,
            int other => throw CtlException.Failed($"{daemon} --check-config failed (exit status {other})"),
        };
    }

    /// <summary><c>EFD_DAEMON</c>, else the installed daemon, else <c>efd-daemon</c> beside efdctl.</summary>
    internal static string LocateDaemon(CtlContext context)
    {
        if (context.GetEnvironmentVariable(DaemonVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? configured
                : throw CtlException.Failed($"{DaemonVariable}={configured}: no such file");
        }

        string beside = Path.Combine(context.BaseDirectory, "efd-daemon");
        foreach (string candidate in new[] { InstalledDaemon, beside })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw CtlException.Failed($"cannot find efd-daemon (set {DaemonVariable}; looked for {InstalledDaemon} and {beside})");
    }

    /// <summary>
    /// Starts the daemon. ETXTBSY (the file is open for writing somewhere: an upgrade writing it, or
    /// a process forked while it was being written that has not exec'd yet) passes within moments,
    /// so it is retried for about 150 ms before it is reported.
    /// </summary>
    private static Process Start(ProcessStartInfo start, string daemon, bool isRoot)
    {
        const int TextFileBusy = 26;
        try
        {
            for (int attempt = 0, delayMs = 10; ; attempt++, delayMs *= 2)
            {
                try
                {
                    return Process.Start(start) ?? throw CtlException.Failed($"cannot start {daemon}");
                }
                catch (Win32Exception e) when (e.NativeErrorCode == TextFileBusy && attempt < 4)
                {
                    Thread.Sleep(delayMs);
                }
            }
        }
        catch (Win32Exception e) when (e.NativeErrorCode == 13)
        {
            throw CtlException.PermissionDenied($"cannot run {daemon}", isRoot);
        }
        catch (Win32Exception e)
        {
            throw CtlException.Failed($"cannot run {daemon}: {e.Message}");
        }
    }

    private static async Task Relay(StreamReader from, TextWriter to, CancellationToken cancellationToken)
    {
        while (await from.ReadLineAsync(cancellationToken) is { } line)
        {
            await to.WriteLineAsync(line);
        }
    }
}
