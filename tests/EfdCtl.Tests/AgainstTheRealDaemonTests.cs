using System.Text.Json;
using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

/// <summary>efdctl against the real efd-daemon, started as a child with the module off (events come from efdctl signal).</summary>
public sealed class AgainstTheRealDaemonTests
{
    private static Task<CtlResult> Run(DaemonProcess daemon, string[] args, LineWriter? output = null, Action? listening = null, CancellationToken cancellationToken = default) =>
        Ctl.RunAsync([.. args, "--run-dir", daemon.RunDirectory, "--sysfs", "/nonexistent/efd_lkm"], new Dictionary<string, string>(), cancellationToken, output, listening: listening);

    [RequiresEfdDaemonFact]
    public async Task StatusSignalAndListenWorkAgainstTheRealDaemon()
    {
        using var dir = new TempDirectory();
        await using DaemonProcess daemon = await DaemonProcess.StartAsync(dir);

        // status: the run files name the daemon, the module is off, the LogHandler is there.
        CtlResult status = await Run(daemon, ["status"]);
        Assert.True(status.ExitCode == ExitCodes.Ok, $"{status.Error}\n{daemon.Output}");
        Assert.StartsWith("efd-daemon ", status.Out, StringComparison.Ordinal);
        Assert.Contains($"(pid {daemon.Pid}) running", status.Out, StringComparison.Ordinal);
        Assert.Contains("module: not used (Module:Enabled=false)", status.Out, StringComparison.Ordinal);
        Assert.Contains("LogHandler", status.Out, StringComparison.Ordinal);

        // listen, then signal 3 through pidfd_getfd: counter mode delivers one SIGNAL event of count 3.
        using var interrupt = new CancellationTokenSource();
        var events = new LineWriter();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<CtlResult> listen = Run(daemon, ["listen"], events, () => listening.TrySetResult(), interrupt.Token);
        await Task.WhenAny(listening.Task, listen).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(listen.IsCompleted, $"listen ended early: {(listen.IsCompleted ? listen.Result.Error : "")}\n{daemon.Output}");

        CtlResult signal = await Run(daemon, ["signal", "3"]);
        Assert.True(signal.ExitCode == ExitCodes.Ok, signal.Error);
        Assert.Contains("through pidfd_getfd", signal.Out, StringComparison.Ordinal);

        await events.WaitForLinesAsync(1);
        await interrupt.CancelAsync();
        CtlResult listened = await listen;
        Assert.Equal(ExitCodes.Ok, listened.ExitCode);
        Assert.Matches(@"^SIGNAL seq=\d+ count=3$", events.Lines[0]);

        // status --json from a real efdctl process: the daemon's own reply is inside.
        CtlResult json = await EfdctlProcess.RunAsync(["status", "--json", "--run-dir", daemon.RunDirectory, "--sysfs", "/nonexistent/efd_lkm"]);
        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        using (JsonDocument doc = JsonDocument.Parse(json.Out))
        {
            Assert.Equal(daemon.Pid, doc.RootElement.GetProperty("daemon").GetProperty("daemon").GetProperty("pid").GetInt32());
            Assert.True(doc.RootElement.GetProperty("daemon").GetProperty("counters").GetProperty("received").GetInt64() >= 1);
        }

        // A clean stop removes the run files: efdctl then says the daemon is not running.
        Assert.Equal(0, await daemon.StopAsync());
        CtlResult after = await Run(daemon, ["status"]);
        Assert.Equal(ExitCodes.NotRunning, after.ExitCode);
        Assert.Equal($"efdctl: efd-daemon is not running (no {daemon.RunDirectory}/pid)\n", after.Error);
    }

    [RequiresEfdDaemonFact]
    public async Task CheckConfigRunsTheRealDaemonsValidator()
    {
        using var dir = new TempDirectory();
        string good = dir.Write("good.json", """{ "Daemon": { "EventfdMode": "Semaphore" } }""");
        string bad = dir.Write("bad.json", """{ "Daemon": { "EventfdMode": "Sometimes" } }""");
        string daemonHost = dir.Write("efd-daemon", $"#!/bin/sh\nexec \"{EfdctlProcess.Dotnet}\" \"{DaemonProcess.Dll}\" \"$@\"\n");
        File.SetUnixFileMode(daemonHost, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = new Dictionary<string, string> { ["EFD_DAEMON"] = daemonHost };

        CtlResult ok = await Ctl.RunAsync(["check-config", good], env, CancellationToken.None);
        Assert.True(ok.ExitCode == ExitCodes.Ok, ok.Out + ok.Error);
        Assert.Contains("config ok", ok.Out, StringComparison.Ordinal);

        CtlResult invalid = await Ctl.RunAsync(["check-config", bad], env, CancellationToken.None);
        Assert.Equal(ExitCodes.InvalidConfiguration, invalid.ExitCode);
        Assert.Contains("EventfdMode", invalid.Out + invalid.Error, StringComparison.Ordinal);
    }
}
