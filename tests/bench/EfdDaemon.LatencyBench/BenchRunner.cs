using System.Globalization;
using System.Text;
using EfdDaemon.Bench;

namespace EfdDaemon.LatencyBench;

/// <summary>Runs one measurement on one path and prints its JSON line.</summary>
internal static class BenchRunner
{
    /// <summary>The name of the bench's no-op handler in the daemon (<see cref="EfdDaemon.Bench.PongHandler"/>'s default).</summary>
    private const string PongHandlerName = "BenchPong";

    public static int Run(BenchOptions o)
    {
        int readerCpu = Placement.ReaderCpu(o.Placement);
        int signallerCpu = Placement.SignallerCpu(o.Placement);
        if (o.Path is not ("xproc" or "plugin" or "daemon"))
        {
            // Every thread that exists now, and so every thread started later (the daemon's reader,
            // the thread pool), runs on the reader's vCPU; the signaller moves itself to its own.
            Placement.PinProcess(Environment.ProcessId, readerCpu);
        }

        return o.Path switch
        {
            "dotnet" => RunRaw(o, readerCpu, signallerCpu),
            "daemon" => DaemonCost.Run(o),
            _ => DaemonPaths.Run(o, signallerCpu),
        };
    }

    private static int RunRaw(BenchOptions o, int readerCpu, int signallerCpu)
    {
        int ping = BenchNative.CreateEventfd(o.Mode == "semaphore" ? BenchNative.EfdSemaphore : 0);
        int pong = BenchNative.CreateEventfd();
        var reader = new RawReader(ping, pong, o.Mode == "latency", readerCpu);
        string line = Measure(o, "dotnet", signallerCpu, ping, pong, () => reader.Counts);
        reader.Stop();
        Console.WriteLine(line);
        return 0;
    }

    /// <summary>Runs the signaller on its own thread (placed like the C signaller) and formats the result.</summary>
    public static string Measure(BenchOptions o, string path, int signallerCpu, int ping, int pong, Func<(long Events, long Units)> counts, string? controlSocket = null, int daemonPid = 0)
    {
        Dictionary<string, long> before = controlSocket is null ? [] : ControlStatus.Counters(controlSocket);
        string? line = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (signallerCpu >= 0)
                {
                    BenchNative.PinThread(0, signallerCpu);
                }

                line = o.Mode == "latency" ? Latency(o, path, ping, pong, daemonPid) : Throughput(o, path, ping, counts);
            }
            catch (InvalidOperationException e)
            {
                failure = e;
            }
        })
        { Name = "bench-signaller" };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"{path} {o.Mode}: {failure.Message}", failure);
        }

        // The daemon's own view (warm-up included), from its status reply: events it received, events
        // its queues dropped (counters.dropped, every handler and hop), the losses it counted per hop
        // on its side of the kernel (counters.losses: policy, timeout, quarantine, demotion, listener),
        // and the policy in force for the bench's handler (the default unless configured).
        if (controlSocket is null)
        {
            return line!;
        }

        Dictionary<string, long> after = ControlStatus.Counters(controlSocket);
        var extra = new StringBuilder();
        foreach (string key in (string[])["received", "dropped"])
        {
            if (after.TryGetValue(key, out long a))
            {
                extra.Append(CultureInfo.InvariantCulture, $",\"daemon_{key}\":{a - before.GetValueOrDefault(key)}");
            }
        }

        if (ControlStatus.DaemonLossHops.All(h => after.ContainsKey("losses." + h)))
        {
            long lost = ControlStatus.DaemonLossHops.Sum(h => after["losses." + h] - before.GetValueOrDefault("losses." + h));
            extra.Append(CultureInfo.InvariantCulture, $",\"daemon_lost\":{lost}");
        }

        if (ControlStatus.PolicyOf(controlSocket, PongHandlerName) is { } policy)
        {
            extra.Append(CultureInfo.InvariantCulture, $",\"daemon_policy\":\"{policy}\"");
        }

        // Where the no-op handler ran at the end: "reader" (the fast path) or "queue" (its own thread).
        if (ControlStatus.RunsOnOf(controlSocket, PongHandlerName) is { } runsOn)
        {
            extra.Append(CultureInfo.InvariantCulture, $",\"daemon_runs_on\":\"{runsOn}\"");
        }

        return line!.TrimEnd('}') + extra.Append('}').ToString();
    }

    private static string Latency(BenchOptions o, string path, int ping, int pong, int daemonPid)
    {
        // Steady state: JIT tiering and the thread pool settle during the warm-up.
        Signaller.PingPong(ping, pong, o.Warmup, 0);
        int[] pids = daemonPid > 0 ? [Environment.ProcessId, daemonPid] : [Environment.ProcessId];
        var switches0 = ContextSwitches.Take(pids);
        long allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        LatencyResult r = Signaller.PingPong(ping, pong, o.Iters, 0);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        double switchesPerEvent = ContextSwitches.Take(pids).Since(switches0) / (double)o.Iters;
        long[] rtt = r.RoundTrips;
        long[] fwd = r.WakeToHandler;
        // The signaller allocates its two sample arrays; the rest is the path's.
        double bytesPerEvent = Math.Max(0, allocated - (2 * ((8L * o.Iters) + 24))) / (double)o.Iters;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{{\"impl\":\"dotnet\",\"path\":\"{path}\",\"mode\":\"latency\",\"placement\":\"{o.Placement}\",\"iters\":{o.Iters},");
        sb.Append(CultureInfo.InvariantCulture, $"\"p50_ns\":{P(rtt, 50) / 2:F1},\"p99_ns\":{P(rtt, 99) / 2:F1},\"p999_ns\":{P(rtt, 99.9) / 2:F1},\"max_ns\":{rtt[^1] / 2.0:F1},");
        sb.Append(CultureInfo.InvariantCulture, $"\"fwd_p50_ns\":{P(fwd, 50):F0},\"fwd_p99_ns\":{P(fwd, 99):F0},\"fwd_p999_ns\":{P(fwd, 99.9):F0},\"fwd_max_ns\":{fwd[^1]},");
        // Allocations are counted in this process: the daemon's own only when it runs here.
        if (path is "dotnet" or "inproc" or "queued" or "demoted" or "proto")
        {
            sb.Append(CultureInfo.InvariantCulture, $"\"alloc_bytes_per_event\":{bytesPerEvent:F2},");
        }

        sb.Append(CultureInfo.InvariantCulture, $"\"switches_per_event\":{switchesPerEvent:F2},\"rss_kib\":{RssKib()}}}");
        return sb.ToString();
    }

    private static string Throughput(BenchOptions o, string path, int ping, Func<(long Events, long Units)> counts)
    {
        // A short first window warms the JIT and the pool; only the second counts.
        Signaller.Saturate(ping, o.Seconds / 2, counts);
        long allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        long events0 = counts().Events;
        ThroughputResult r = Signaller.Saturate(ping, o.Seconds, counts);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        long events = Math.Max(1, counts().Events - events0);
        double perRead = r.EventsPerSecond > 0 ? r.UnitsPerSecond / r.EventsPerSecond : 0;
        string alloc = path is "dotnet" or "inproc" or "queued" or "demoted" or "proto"
            ? string.Create(CultureInfo.InvariantCulture, $"\"alloc_bytes_per_event\":{allocated / (double)events:F2},")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"impl\":\"dotnet\",\"path\":\"{path}\",\"mode\":\"{o.Mode}\",\"placement\":\"{o.Placement}\",\"seconds\":{r.Seconds:F3},\"writes_per_s\":{r.WritesPerSecond:F0},\"events_per_s\":{r.EventsPerSecond:F0},\"units_per_s\":{r.UnitsPerSecond:F0},\"units_per_read\":{perRead:F2},{alloc}\"rss_kib\":{RssKib()}}}");
    }

    private static double P(long[] sorted, double p) => LatencyResult.Percentile(sorted, p);

    /// <summary>VmHWM of this process, in KiB (the C baseline reports ru_maxrss, the same figure).</summary>
    public static long RssKib(int pid = 0)
    {
        foreach (string l in File.ReadLines(pid == 0 ? "/proc/self/status" : $"/proc/{pid}/status"))
        {
            if (l.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(l.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
