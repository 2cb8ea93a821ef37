using EfdDaemon.Bench;

namespace EfdDaemon.LatencyBench;

/// <summary>
/// Thread placement, as in the C baseline: <c>unpinned</c>; <c>one</c> (everything on vCPU 0);
/// <c>two</c> (the signaller on vCPU 0, the reader side, i.e. the daemon's threads, on vCPU 1).
/// </summary>
internal static class Placement
{
    public static bool IsValid(string placement) => placement is "unpinned" or "one" or "two";

    /// <summary>The CPU of the signaller thread, or -1.</summary>
    public static int SignallerCpu(string placement) => placement == "unpinned" ? -1 : 0;

    /// <summary>The CPU of the reader side (every daemon thread), or -1.</summary>
    public static int ReaderCpu(string placement) => placement switch
    {
        "one" => 0,
        "two" => 1,
        _ => -1,
    };

    /// <summary>Pins every thread of process <paramref name="pid"/> that exists now to <paramref name="cpu"/>; threads they start later inherit it.</summary>
    public static void PinProcess(int pid, int cpu)
    {
        if (cpu < 0)
        {
            return;
        }

        foreach (string task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            int tid = int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                BenchNative.PinThread(tid, cpu);
            }
            catch (InvalidOperationException) when (!Directory.Exists(task))
            {
                // The thread exited meanwhile.
            }
        }
    }
}
