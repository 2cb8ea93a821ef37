using System.Globalization;
using EfdDaemon.Bench;
using EfdDaemon.LatencyBench;

// efd-latency-bench PATH MODE [--placement unpinned|one|two] [--iters N] [--warmup N] [--seconds S] [--run-dir DIR]
//   PATH: dotnet (C's reader in C#), inproc (the daemon's host in this process, the no-op handler on
//         the fast path), queued (the same, the handler on its queue), demoted (inproc beside a handler
//         that overruns and leaves the fast path), proto (a sketched
//         lock-free handoff, ProtoHandoff.cs, for comparison), xproc (the daemon
//         in another process, reached through pidfd_getfd on its run files), plugin (the published
//         daemon, --daemon, with BenchPlugin from --plugin-dir), serve (the daemon for xproc; until
//         stdin closes), daemon (the published daemon's idle cost and start-up: MODE idle, log, exec;
//         idle takes --config FILE as the daemon's efd-daemon.json, --plugin-dir DIR whose every plugin
//         must load, and --daemon-env NAME=VALUE, repeatable, for the daemon's environment only)
//   MODE: latency | counter | semaphore (as in tests/bench/c/efd_pingpong.c)
// Prints one JSON object per run, with the same fields as the C baseline.
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: efd-latency-bench dotnet|inproc|queued|demoted|proto|xproc|plugin|serve|daemon latency|counter|semaphore|idle|log|exec [--placement unpinned|one|two] [--iters N] [--warmup N] [--seconds S] [--run-dir DIR] [--daemon PATH] [--plugin-dir DIR] [--config FILE] [--daemon-env NAME=VALUE]...");
    return 2;
}

return BenchRunner.Run(options);

/// <summary>Command-line options.</summary>
internal sealed record BenchOptions(string Path, string Mode, string Placement, int Iters, int Warmup, double Seconds, string RunDir, string? DaemonPath, string? PluginDir,
    string? ConfigFile = null, IReadOnlyList<string>? DaemonEnv = null)
{
    public static BenchOptions? Parse(string[] args)
    {
        if (args.Length < 2)
        {
            return null;
        }

        var o = new BenchOptions(args[0], args[1], "unpinned", 100_000, 10_000, 2.0, "/dev/shm/efd-bench", null, null);
        int i = 2;
        for (; i + 1 < args.Length; i += 2)
        {
            string v = args[i + 1];
            o = args[i] switch
            {
                "--placement" => o with { Placement = v },
                "--iters" => o with { Iters = int.Parse(v, CultureInfo.InvariantCulture) },
                "--warmup" => o with { Warmup = int.Parse(v, CultureInfo.InvariantCulture) },
                "--seconds" => o with { Seconds = double.Parse(v, CultureInfo.InvariantCulture) },
                "--run-dir" => o with { RunDir = v },
                "--daemon" => o with { DaemonPath = v },
                "--plugin-dir" => o with { PluginDir = v },
                "--config" => o with { ConfigFile = v },
                "--daemon-env" when v.IndexOf('=', StringComparison.Ordinal) > 0 => o with { DaemonEnv = [.. o.DaemonEnv ?? [], v] },
                _ => null!,
            };
            if (o is null)
            {
                return null;
            }
        }

        bool ok = i == args.Length
            && o.Path is "dotnet" or "inproc" or "queued" or "demoted" or "proto" or "xproc" or "plugin" or "serve" or "daemon"
            && (o.Path == "daemon" ? o.Mode is "idle" or "log" or "exec" : o.Mode is "latency" or "counter" or "semaphore")
            && EfdDaemon.LatencyBench.Placement.IsValid(o.Placement)
            && o.Iters > 0 && o.Warmup >= 0 && o.Seconds > 0;
        return ok ? o : null;
    }
}
