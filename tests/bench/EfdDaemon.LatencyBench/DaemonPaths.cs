using System.Diagnostics;
using System.Globalization;
using EfdDaemon.Bench;

namespace EfdDaemon.LatencyBench;

/// <summary>The paths through the daemon's own code: in this process, and from another process.</summary>
internal static class DaemonPaths
{
    public static int Run(BenchOptions o, int signallerCpu) => o.Path switch
    {
        "inproc" => InProcess(o, signallerCpu),
        "serve" => Serve(o),
        "xproc" => CrossProcess(o, signallerCpu),
        _ => 2,
    };

    /// <summary>The signaller writes the daemon's eventfd from a thread of the daemon's process.</summary>
    private static int InProcess(BenchOptions o, int signallerCpu)
    {
        using BenchState state = BenchState.Create(o.RunDir);
        using var pipeline = new CorePipeline([new PongHandler(state)], o.Mode == "semaphore");
        state.Answering = o.Mode == "latency";
        Console.WriteLine(BenchRunner.Measure(o, "inproc", signallerCpu, pipeline.EventfdNumber, state.PongFd, () => (state.Events, state.Units)));
        return 0;
    }

    /// <summary>Hosts the pipeline for <see cref="CrossProcess"/>: publishes <c>pid</c>, <c>efd</c> and the bench state in the run directory, then waits for stdin to close.</summary>
    private static int Serve(BenchOptions o)
    {
        using BenchState state = BenchState.Create(o.RunDir);
        using var pipeline = new CorePipeline([new PongHandler(state)], o.Mode == "semaphore");
        state.Answering = o.Mode == "latency";
        WriteRunFile(o.RunDir, "efd", pipeline.EventfdNumber);
        WriteRunFile(o.RunDir, "pid", Environment.ProcessId);
        Console.In.ReadToEnd();
        return 0;
    }

    /// <summary>
    /// The signaller lives in this process and reaches the daemon's eventfd as <c>efdctl signal</c>
    /// does: pidfd_open on RUN-DIR/pid, pidfd_getfd on RUN-DIR/efd. Without --daemon the daemon is
    /// this program's own <c>serve</c> path; the runner's plugin path starts the published daemon instead.
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
            int pid = WaitRunFile(o.RunDir, "pid", server);
            int efd = WaitRunFile(o.RunDir, "efd", server);
            Placement.PinProcess(pid, Placement.ReaderCpu(o.Placement));
            int ping = BenchNative.GetFdOf(pid, efd);
            using BenchState state = BenchState.Open(o.RunDir);
            state.Answering = o.Mode == "latency";
            Console.WriteLine(BenchRunner.Measure(o, "xproc", signallerCpu, ping, state.PongFd, () => (state.Events, state.Units)).Replace("\"rss_kib\":", FormattableString.Invariant($"\"daemon_rss_kib\":{BenchRunner.RssKib(pid)},\"rss_kib\":"), StringComparison.Ordinal));
            BenchNative.Close(ping);
            return 0;
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(5000))
            {
                server.Kill();
            }
        }
    }

    private static Process StartServer(BenchOptions o)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in (string[])["serve", o.Mode, "--placement", o.Placement, "--run-dir", o.RunDir])
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }

    private static void WriteRunFile(string dir, string name, int value)
    {
        string tmp = Path.Combine(dir, name + ".tmp");
        File.WriteAllText(tmp, value.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(tmp, Path.Combine(dir, name), overwrite: true);
    }

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
