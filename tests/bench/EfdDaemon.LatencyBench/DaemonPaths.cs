using System.Diagnostics;
using System.Globalization;
using EfdDaemon.Bench;

namespace EfdDaemon.LatencyBench;

/// <summary>The paths through the daemon's own code: in this process, and from another process.</summary>
internal static class DaemonPaths
{
    public static int Run(BenchOptions o, int signallerCpu) => o.Path switch
    {
        "inproc" => InProcess(o, signallerCpu, "inproc"),
        "queued" => InProcess(o, signallerCpu, "queued", "--Handlers:BenchPong:InlineBudget=00:00:00"),
        "demoted" => Demoted(o, signallerCpu),
        "proto" => Prototype(o, signallerCpu),
        "serve" => Serve(o),
        "xproc" or "plugin" => CrossProcess(o, signallerCpu),
        _ => 2,
    };

    /// <summary>
    /// The signaller writes the daemon's eventfd from a thread of the daemon's process. Path
    /// <c>inproc</c>: the no-op handler on the fast path (it is an <see cref="IInlineEventHandler"/>);
    /// <c>queued</c>: the same handler kept on its own queue and thread (<c>InlineBudget</c> 0).
    /// </summary>
    private static int InProcess(BenchOptions o, int signallerCpu, string path, params string[] extraArgs)
    {
        using BenchState state = BenchState.Create(o.RunDir);
        using var daemon = new InProcessDaemon(o.RunDir, o.Mode == "semaphore", [new PongHandler(state)], extraArgs);
        state.Answering = o.Mode == "latency";
        Console.WriteLine(BenchRunner.Measure(o, path, signallerCpu, daemon.EventfdNumber, state.PongFd, () => (state.Events, state.Units), Path.Combine(daemon.RunDirectory, "control.sock")));
        return 0;
    }

    /// <summary>
    /// Path <c>demoted</c>: the no-op handler on the fast path beside an <see cref="OverrunningHandler"/>
    /// that leaves it during the warm-up; the line also says where that one ended (<c>other_runs_on</c>).
    /// </summary>
    private static int Demoted(BenchOptions o, int signallerCpu)
    {
        using BenchState state = BenchState.Create(o.RunDir);
        using var daemon = new InProcessDaemon(o.RunDir, o.Mode == "semaphore", [new PongHandler(state), new OverrunningHandler()]);
        state.Answering = o.Mode == "latency";
        string control = Path.Combine(daemon.RunDirectory, "control.sock");
        string line = BenchRunner.Measure(o, "demoted", signallerCpu, daemon.EventfdNumber, state.PongFd, () => (state.Events, state.Units), control);
        string where = ControlStatus.RunsOnOf(control, OverrunningHandler.HandlerName) ?? "unknown";
        Console.WriteLine(line.TrimEnd('}') + $",\"other_runs_on\":\"{where}\"}}");
        return 0;
    }

    /// <summary>The sketched handoff of <see cref="ProtoHandoff"/>, with the same handler and signaller.</summary>
    private static int Prototype(BenchOptions o, int signallerCpu)
    {
        using BenchState state = BenchState.Create(o.RunDir);
        using var proto = new ProtoHandoff(new PongHandler(state), o.Mode == "semaphore");
        state.Answering = o.Mode == "latency";
        Console.WriteLine(BenchRunner.Measure(o, "proto", signallerCpu, proto.EventfdNumber, state.PongFd, () => (state.Events, state.Units)));
        return 0;
    }

    /// <summary>Hosts the daemon for <see cref="CrossProcess"/>: publishes its <c>pid</c>, <c>efd</c> and the bench state in RUN-DIR, then waits for stdin to close.</summary>
    private static int Serve(BenchOptions o)
    {
        using BenchState state = BenchState.Create(o.RunDir);
        using var daemon = new InProcessDaemon(o.RunDir, o.Mode == "semaphore", [new PongHandler(state)]);
        state.Answering = o.Mode == "latency";
        Console.In.ReadToEnd();
        return 0;
    }

    /// <summary>
    /// The signaller lives in this process and reaches the daemon's eventfd as <c>efdctl signal</c>
    /// does: pidfd_open on the run file <c>pid</c>, pidfd_getfd on the run file <c>efd</c>. Path
    /// <c>xproc</c>: the daemon is this program's <c>serve</c> path (the handler registered in its
    /// host); path <c>plugin</c>: the published daemon (--daemon) with the handler in BenchPlugin,
    /// loaded from --plugin-dir.
    /// </summary>
    private static int CrossProcess(BenchOptions o, int signallerCpu)
    {
        if (Directory.Exists(o.RunDir))
        {
            Directory.Delete(o.RunDir, recursive: true);
        }

        Directory.CreateDirectory(o.RunDir);
        using Process server = StartServer(o);
        try
        {
            string run = Path.Combine(o.RunDir, "run");
            int pid = WaitRunFile(run, "pid", server);
            int efd = WaitRunFile(run, "efd", server);
            Placement.PinProcess(pid, Placement.ReaderCpu(o.Placement));
            int ping = BenchNative.GetFdOf(pid, efd);
            using BenchState state = BenchState.Open(o.RunDir);
            state.Answering = o.Mode == "latency";
            Console.WriteLine(BenchRunner.Measure(o, o.Path, signallerCpu, ping, state.PongFd, () => (state.Events, state.Units), Path.Combine(run, "control.sock"), pid).Replace("\"rss_kib\":", FormattableString.Invariant($"\"daemon_rss_kib\":{BenchRunner.RssKib(pid)},\"rss_kib\":"), StringComparison.Ordinal));
            BenchNative.Close(ping);
            return 0;
        }
        finally
        {
            server.StandardInput.Close();
            if (o.Path == "plugin")
            {
                _ = Kill(server.Id, 15);
            }

            if (!server.WaitForExit(10000))
            {
                server.Kill();
            }
        }
    }

    private static Process StartServer(BenchOptions o)
    {
        ProcessStartInfo psi;
        if (o.Path == "plugin")
        {
            if (o.DaemonPath is null || o.PluginDir is null)
            {
                throw new InvalidOperationException("path plugin needs --daemon and --plugin-dir");
            }

            string configDir = Path.Combine(o.RunDir, "etc");
            Directory.CreateDirectory(configDir);
            psi = new ProcessStartInfo(o.DaemonPath);
            foreach (string a in (string[])[
                "--config-dir", configDir,
                "--Module:Enabled=false",
                $"--Daemon:RunDirectory={Path.Combine(o.RunDir, "run")}",
                $"--Daemon:EventfdMode={(o.Mode == "semaphore" ? "Semaphore" : "Counter")}",
                $"--Daemon:PluginDirectories:0={o.PluginDir}",
                $"--Plugins:BenchPlugin:StateDirectory={o.RunDir}",
                "--Handlers:LogHandler:Enabled=false",
                "--Logging:Journal=Off",
                "--Logging:MinimumLevel=Warning"])
            {
                psi.ArgumentList.Add(a);
            }
        }
        else
        {
            psi = new ProcessStartInfo(Environment.ProcessPath!);
            foreach (string a in (string[])["serve", o.Mode, "--placement", o.Placement, "--run-dir", o.RunDir])
            {
                psi.ArgumentList.Add(a);
            }
        }

        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        return Process.Start(psi)!;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private static int WaitRunFile(string dir, string name, Process server)
    {
        string path = Path.Combine(dir, name);
        var sw = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (server.HasExited || sw.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"the daemon did not publish {path}");
            }

            Thread.Sleep(10);
        }

        return int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
    }
}
