using System.Globalization;
using EfdDaemon.Bench;
using EfdDaemon.LatencyBench;

// efd-latency-bench PATH MODE [--placement unpinned|one|two] [--iters N] [--warmup N] [--seconds S] [--run-dir DIR]
//   PATH: dotnet (C's reader in C#), inproc (the daemon hosted in this process), xproc (the daemon in
//         another process, reached through pidfd_getfd on RUN-DIR/pid, RUN-DIR/efd and RUN-DIR/bench-pong),
//         serve (host the daemon with the bench handler for xproc; runs until SIGTERM)
//   MODE: latency | counter | semaphore (as in tests/bench/c/efd_pingpong.c)
// Prints one JSON object per run, with the same fields as the C baseline.
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: efd-latency-bench dotnet|inproc|xproc|serve latency|counter|semaphore [--placement unpinned|one|two] [--iters N] [--warmup N] [--seconds S] [--run-dir DIR]");
    return 2;
}

return BenchRunner.Run(options);

/// <summary>Command-line options.</summary>
internal sealed record BenchOptions(string Path, string Mode, string Placement, int Iters, int Warmup, double Seconds, string RunDir, string[] DaemonArgs)
{
    public static BenchOptions? Parse(string[] args)
    {
        if (args.Length < 2)
        {
            return null;
        }

        var o = new BenchOptions(args[0], args[1], "unpinned", 100_000, 10_000, 2.0, "/dev/shm/efd-bench", []);
        int i = 2;
        for (; i + 1 < args.Length && args[i] != "--"; i += 2)
        {
            string v = args[i + 1];
            o = args[i] switch
            {
                "--placement" => o with { Placement = v },
                "--iters" => o with { Iters = int.Parse(v, CultureInfo.InvariantCulture) },
                "--warmup" => o with { Warmup = int.Parse(v, CultureInfo.InvariantCulture) },
                "--seconds" => o with { Seconds = double.Parse(v, CultureInfo.InvariantCulture) },
                "--run-dir" => o with { RunDir = v },
                _ => null!,
            };
            if (o is null)
            {
                return null;
            }
        }

        if (i < args.Length && args[i] == "--")
        {
            o = o with { DaemonArgs = args[(i + 1)..] };
        }

        bool ok = o.Path is "dotnet" or "inproc" or "xproc" or "serve"
            && o.Mode is "latency" or "counter" or "semaphore"
            && EfdDaemon.LatencyBench.Placement.IsValid(o.Placement)
            && o.Iters > 0 && o.Warmup >= 0 && o.Seconds > 0;
        return ok ? o : null;
    }
}
