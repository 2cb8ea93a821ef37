using System.Diagnostics;
using EfdDaemon.Bench;

namespace EfdDaemon.LatencyBench;

/// <summary>The signaller side of every path, identical to the C baseline's: a ping-pong loop and a saturating writer.</summary>
internal static class Signaller
{
    /// <summary>
    /// Writes 1 to <paramref name="pingFd"/> and waits in poll()+read() for the pong, <paramref name="warmup"/>
    /// + <paramref name="iters"/> times. The pong carries the handler's entry time.
    /// </summary>
    public static LatencyResult PingPong(int pingFd, int pongFd, int iters, int warmup)
    {
        long[] rtt = new long[iters];
        long[] fwd = new long[iters];
        for (int i = 0; i < warmup + iters; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            BenchNative.Write(pingFd, 1);
            long entered = (long)BenchNative.WaitRead(pongFd);
            long t1 = Stopwatch.GetTimestamp();
            if (i >= warmup)
            {
                rtt[i - warmup] = t1 - t0;
                fwd[i - warmup] = entered - t0;
            }
        }

        Array.Sort(rtt);
        Array.Sort(fwd);
        return new LatencyResult(rtt, fwd);
    }

    /// <summary>
    /// Writes 1 to <paramref name="pingFd"/> as fast as it can for <paramref name="seconds"/>; the reader's
    /// counts are sampled when the window ends (units pending then are not counted, as in C).
    /// </summary>
    public static ThroughputResult Saturate(int pingFd, double seconds, Func<(long Events, long Units)> counts)
    {
        (long events0, long units0) = counts();
        long writes = 0;
        long t0 = Stopwatch.GetTimestamp();
        long deadline = t0 + (long)(seconds * Stopwatch.Frequency);
        long t1;
        do
        {
            for (int k = 0; k < 256; k++)
            {
                BenchNative.Write(pingFd, 1);
            }

            writes += 256;
            t1 = Stopwatch.GetTimestamp();
        }
        while (t1 < deadline);

        (long events1, long units1) = counts();
        double s = (double)(t1 - t0) / Stopwatch.Frequency;
        return new ThroughputResult(s, writes / s, (events1 - events0) / s, (units1 - units0) / s);
    }
}

/// <summary>Sorted samples of one ping-pong run, in nanoseconds (Stopwatch ticks are ns on Linux).</summary>
internal sealed record LatencyResult(long[] RoundTrips, long[] WakeToHandler)
{
    public static double Percentile(long[] sorted, double p) => sorted[(int)((p / 100.0 * (sorted.Length - 1)) + 0.5)];
}

/// <summary>Rates of one saturating run.</summary>
internal sealed record ThroughputResult(double Seconds, double WritesPerSecond, double EventsPerSecond, double UnitsPerSecond);
