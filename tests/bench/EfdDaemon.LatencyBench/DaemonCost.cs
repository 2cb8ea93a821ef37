using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EfdDaemon.Bench;

namespace EfdDaemon.LatencyBench;

/// <summary>
/// The published daemon (--daemon) as systemd runs it, measured from outside: start-to-READY through
/// a NOTIFY_SOCKET owned here, RSS, CPU while idle, RSS after N events (mode <c>idle</c>); events/s
/// through the LogHandler into a null sink (mode <c>log</c>) and through an exec rule (mode <c>exec</c>).
/// </summary>
/// <remarks>
/// With <c>--config FILE</c> (run.sh: deploy/config/efd-daemon.json, the packaged configuration) the
/// daemon reads that file as its efd-daemon.json, and the command line overrides only what this host
/// needs: the run directory, the module (not loadable here), the plugin directories (<c>--plugin-dir</c>
/// first; the second, the administrator's, points nowhere) and, in mode <c>idle</c>, the eventfd's
/// semaphore mode so that each unit written is one event. Every plugin folder in <c>--plugin-dir</c>
/// must be reported <c>Loaded</c> by the control socket, or the run fails: a figure "with RateAlert"
/// that silently ran without it would be wrong.
/// </remarks>
/// <remarks>
/// Microsoft.Extensions.Hosting.Systemd (10.0) sends READY=1 only when it believes systemd started
/// the process: its parent's <c>/proc/PPID/comm</c> is <c>systemd</c> (newer versions also accept
/// <c>SYSTEMD_EXEC_PID</c>). So the daemon is started by a shell run through a symlink named
/// <c>systemd</c>, which waits for it; the daemon's pid comes from its run file.
/// </remarks>
internal static class DaemonCost
{
    private static readonly long TicksPerSecond = 100; // sysconf(_SC_CLK_TCK) on Linux

    public static int Run(BenchOptions o)
    {
        if (o.DaemonPath is null)
        {
            throw new InvalidOperationException("path daemon needs --daemon");
        }

        if (Directory.Exists(o.RunDir))
        {
            Directory.Delete(o.RunDir, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(o.RunDir, "etc"));
        if (o.ConfigFile is not null)
        {
            File.Copy(o.ConfigFile, Path.Combine(o.RunDir, "etc", "efd-daemon.json"));
        }

        string notifyPath = Path.Combine(o.RunDir, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        // The handlers' queues and policies are the defaults (Lossless, 1024 slots): the whole burst is
        // written at once and waits in the eventfd's counter while the queue is full, so these rows
        // measure what a default installation does with a burst, and every event is handled.
        string[] extra = o.Mode switch
        {
            "idle" => ["--Daemon:EventfdMode=Semaphore"],
            "log" => ["--Daemon:EventfdMode=Semaphore", "--LogHandler:SummaryThresholdPerSecond=1000000",
                "--Handlers:LogHandler:Kinds:0=SIGNAL"],
            "exec" => ["--Daemon:EventfdMode=Semaphore", "--Handlers:LogHandler:Enabled=false", "--Exec:MaxConcurrency=4",
                "--Exec:Rules:0:Name=bench", "--Exec:Rules:0:Kinds:0=SIGNAL", "--Exec:Rules:0:Program=/bin/true"],
            _ => throw new InvalidOperationException($"path daemon has no mode {o.Mode}"),
        };

        long t0 = Stopwatch.GetTimestamp();
        using Process shell = Start(o, notifyPath, extra);
        var fields = new Dictionary<string, double>();
        int pid = -1;
        try
        {
            double readyMs = WaitReady(notify, shell, t0);
            fields["ready_ms"] = readyMs;
            string run = Path.Combine(o.RunDir, "run");
            pid = ReadInt(Path.Combine(run, "pid"));
            Memory(pid, "ready", fields);
            int efd = ReadInt(Path.Combine(run, "efd"));
            if (o.PluginDir is not null)
            {
                fields["plugins_loaded"] = PluginsLoaded(o.PluginDir, Path.Combine(run, "control.sock"));
            }

            Placement.PinProcess(pid, Placement.ReaderCpu(o.Placement));
            int fd = BenchNative.GetFdOf(pid, efd);
            try
            {
                if (o.Mode == "idle")
                {
                    Idle(o, pid, fd, fields);
                }
                else
                {
                    Through(o, pid, fd, o.Mode == "log" ? "LogHandler" : "ExecHandler", fields);
                }
            }
            finally
            {
                BenchNative.Close(fd);
            }

            long stop0 = Stopwatch.GetTimestamp();
            _ = Kill(pid, 15);
            bool exited = shell.WaitForExit(15000);
            fields["stop_ms"] = Stopwatch.GetElapsedTime(stop0).TotalMilliseconds;
            fields["exit_code"] = exited ? shell.ExitCode : -1;
        }
        finally
        {
            if (!shell.HasExited)
            {
                _ = pid > 0 ? Kill(pid, 9) : 0;
                shell.Kill();
            }
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{{\"impl\":\"dotnet\",\"path\":\"daemon\",\"mode\":\"{o.Mode}\",\"placement\":\"{o.Placement}\"");
        sb.Append(CultureInfo.InvariantCulture, $",\"config\":\"{(o.ConfigFile is null ? "defaults" : System.Text.Json.JsonEncodedText.Encode(Path.GetFullPath(o.ConfigFile)))}\"");
        if (o.DaemonEnv is { Count: > 0 } env)
        {
            sb.Append(CultureInfo.InvariantCulture, $",\"daemon_env\":\"{System.Text.Json.JsonEncodedText.Encode(string.Join(' ', env))}\"");
        }

        foreach ((string k, double v) in fields)
        {
            sb.Append(CultureInfo.InvariantCulture, $",\"{k}\":{v:0.###}");
        }

        // The exit code is reported, not judged here: the runner checks it as its own case.
        Console.WriteLine(sb.Append('}').ToString());
        return 0;
    }

    private static Process Start(BenchOptions o, string notifyPath, string[] extra)
    {
        string systemd = Path.Combine(o.RunDir, "systemd");
        File.CreateSymbolicLink(systemd, "/bin/sh");
        var psi = new ProcessStartInfo(systemd) { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        // Not exec: the shell stays the daemon's parent. The daemon's output goes to a file (or
        // /dev/null): a console sink with nothing slow behind it.
        psi.ArgumentList.Add("\"$0\" \"$@\" >\"$EFD_BENCH_LOG\" 2>&1; rc=$?; exit $rc");
        psi.ArgumentList.Add(o.DaemonPath!);
        foreach (string a in (string[])[
            "--config-dir", Path.Combine(o.RunDir, "etc"),
            "--Module:Enabled=false",
            $"--Daemon:RunDirectory={Path.Combine(o.RunDir, "run")}",
            $"--Daemon:PluginDirectories:0={o.PluginDir ?? Path.Combine(o.RunDir, "etc")}",
            $"--Daemon:PluginDirectories:1={Path.Combine(o.RunDir, "no-local-plugins")}",
            // The packaged file's Journal=Auto picks the console here: INVOCATION_ID and JOURNAL_STREAM are removed below.
            .. o.ConfigFile is null ? (string[])["--Logging:Journal=Off"] : [],
            .. extra])
        {
            psi.ArgumentList.Add(a);
        }

        foreach (string e in o.DaemonEnv ?? [])
        {
            int eq = e.IndexOf('=', StringComparison.Ordinal);
            psi.Environment[e[..eq]] = e[(eq + 1)..];
        }

        psi.Environment["NOTIFY_SOCKET"] = notifyPath;
        psi.Environment["EFD_BENCH_LOG"] = o.Mode == "log" ? "/dev/null" : Path.Combine(o.RunDir, "daemon.log");
        psi.Environment.Remove("INVOCATION_ID");
        psi.Environment.Remove("JOURNAL_STREAM");
        return Process.Start(psi)!;
    }

    private static double WaitReady(Socket notify, Process daemon, long t0)
    {
        byte[] buffer = new byte[4096];
        notify.ReceiveTimeout = 500;
        while (Stopwatch.GetElapsedTime(t0) < TimeSpan.FromSeconds(60))
        {
            try
            {
                int n = notify.Receive(buffer);
                string message = Encoding.UTF8.GetString(buffer, 0, n);
                if (message.Split('\n').Contains("READY=1"))
                {
                    return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                if (daemon.HasExited)
                {
                    throw new InvalidOperationException($"efd-daemon exited with {daemon.ExitCode} before READY=1");
                }
            }
        }

        throw new InvalidOperationException("no READY=1 on NOTIFY_SOCKET within 60 s");
    }

    private static void Idle(BenchOptions o, int pid, int efd, Dictionary<string, double> fields)
    {
        // Let start-up work finish (tiered JIT's background compile, the first GC) before counting.
        Thread.Sleep(1000);
        fields["rss_start_kib"] = Status(pid, "VmRSS:");
        Memory(pid, "start", fields);
        (long ticks0, ContextSwitches switches0) = (CpuTicks(pid), ContextSwitches.Take(pid));
        Thread.Sleep(TimeSpan.FromSeconds(o.Seconds));
        (long ticks1, ContextSwitches switches1) = (CpuTicks(pid), ContextSwitches.Take(pid));
        fields["idle_seconds"] = o.Seconds;
        fields["idle_cpu_ticks"] = ticks1 - ticks0;
        fields["idle_cpu_percent"] = 100.0 * (ticks1 - ticks0) / TicksPerSecond / o.Seconds;
        fields["idle_context_switches"] = switches1.Since(switches0);

        // N events: EFD_SEMAPHORE hands out one unit per read, so each unit is one event.
        long n = o.Iters;
        long t0 = Stopwatch.GetTimestamp();
        for (long sent = 0; sent < n; sent += 1000)
        {
            BenchNative.Write(efd, (ulong)Math.Min(1000, n - sent));
            WaitBelow(efd);
        }

        fields["events"] = n;
        fields["events_per_s"] = n / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        Thread.Sleep(500);
        fields["rss_after_events_kib"] = Status(pid, "VmRSS:");
        fields["rss_peak_kib"] = Status(pid, "VmHWM:");
        Memory(pid, "after_events", fields);
    }

    /// <summary>
    /// <c>/proc/PID/status</c> at one point: VmRSS, VmHWM (the peak so far) and VmRSS split into
    /// anonymous (GC heap, native heap, stacks), file-backed (mapped assemblies and native libraries) and shared memory
    /// (with W^X, the runtime's double-mapped JIT code and stubs, <c>memfd:doublemapper</c>), and the thread count.
    /// </summary>
    private static void Memory(int pid, string at, Dictionary<string, double> fields)
    {
        fields[$"vmrss_{at}_kib"] = Status(pid, "VmRSS:");
        fields[$"vmhwm_{at}_kib"] = Status(pid, "VmHWM:");
        fields[$"rss_anon_{at}_kib"] = Status(pid, "RssAnon:");
        fields[$"rss_file_{at}_kib"] = Status(pid, "RssFile:");
        fields[$"rss_shmem_{at}_kib"] = Status(pid, "RssShmem:");
        fields[$"threads_{at}"] = Status(pid, "Threads:");
    }

    /// <summary>Returns how many plugins the daemon loaded; throws unless it reports every folder of <paramref name="pluginDir"/> as <c>Loaded</c>.</summary>
    private static int PluginsLoaded(string pluginDir, string controlSocket)
    {
        var states = ControlStatus.Plugins(controlSocket);
        string[] expected = [.. Directory.GetDirectories(pluginDir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        if (expected.Length == 0)
        {
            throw new InvalidOperationException($"--plugin-dir {pluginDir} holds no plugin folder");
        }

        foreach (string name in expected)
        {
            if (!states.TryGetValue(name, out (string? State, string? Reason) s) || s.State != "Loaded")
            {
                throw new InvalidOperationException($"plugin {name} is not loaded: state {s.State ?? "(not listed)"}, reason {s.Reason ?? "none"}");
            }
        }

        return expected.Length;
    }

    private static void Through(BenchOptions o, int pid, int efd, string handler, Dictionary<string, double> fields)
    {
        string control = Path.Combine(o.RunDir, "run", "control.sock");
        (long handled0, long dropped0, string? policy) = ControlStatus.Handler(control, handler);
        Dictionary<string, long> counters0 = ControlStatus.Counters(control);
        long ticks0 = CpuTicks(pid);
        long n = o.Iters;
        long t0 = Stopwatch.GetTimestamp();
        BenchNative.Write(efd, (ulong)n);
        long handled = 0, dropped = 0;
        while (Stopwatch.GetElapsedTime(t0) < TimeSpan.FromSeconds(60))
        {
            (long h, long d, _) = ControlStatus.Handler(control, handler);
            (handled, dropped) = (h - handled0, d - dropped0);
            if (handled + dropped >= n)
            {
                break;
            }

            Thread.Sleep(20);
        }

        double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        fields["events"] = n;
        fields["handled"] = handled;
        fields["dropped"] = dropped;
        Dictionary<string, long> counters1 = ControlStatus.Counters(control);
        fields["daemon_lost"] = ControlStatus.DaemonLossHops.Sum(k => counters1.GetValueOrDefault("losses." + k) - counters0.GetValueOrDefault("losses." + k));
        fields["lossless"] = policy == "Lossless" ? 1 : 0;
        fields["events_per_s"] = handled / s;
        fields["daemon_cpu_ms_per_event"] = 1000.0 * (CpuTicks(pid) - ticks0) / TicksPerSecond / Math.Max(1, handled);
    }

    private static unsafe void WaitBelow(int efd)
    {
        // The eventfd stays readable while units are left: wait until the reader took them all.
        var spin = default(SpinWait);
        while (BenchNative.Readable(efd))
        {
            spin.SpinOnce();
        }
    }

    private static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command: state is field 3; utime and stime are fields 14 and 15.
        return long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
    }

    private static long Status(int pid, string key) => Status($"/proc/{pid}", key);

    private static long Status(string dir, string key)
    {
        foreach (string l in File.ReadLines(Path.Combine(dir, "status")))
        {
            if (l.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(l.AsSpan(key.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    private static int ReadInt(string path)
    {
        var sw = Stopwatch.StartNew();
        while (!File.Exists(path) && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(10);
        }

        return int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
