using System.Globalization;

namespace EfdDaemon.LatencyBench;

/// <summary>
/// Context switches (voluntary + involuntary) of every thread of some processes, from
/// <c>/proc/PID/task/TID/status</c>. A snapshot keeps them per thread, so threads that exit between
/// two snapshots do not make the difference negative.
/// </summary>
internal sealed class ContextSwitches
{
    private readonly Dictionary<(int Pid, int Tid), long> _counts = [];

    private ContextSwitches()
    {
    }

    public static ContextSwitches Take(params int[] pids)
    {
        var s = new ContextSwitches();
        foreach (int pid in pids)
        {
            string[] tasks;
            try
            {
                tasks = Directory.GetDirectories($"/proc/{pid}/task");
            }
            catch (IOException)
            {
                continue;
            }

            foreach (string task in tasks)
            {
                try
                {
                    long sum = 0;
                    foreach (string l in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (l.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || l.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            sum += long.Parse(l.AsSpan(l.IndexOf(':', StringComparison.Ordinal) + 1).Trim(), CultureInfo.InvariantCulture);
                        }
                    }

                    s._counts[(pid, int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture))] = sum;
                }
                catch (IOException)
                {
                    // The thread exited meanwhile.
                }
            }
        }

        return s;
    }

    /// <summary>Switches since <paramref name="earlier"/>: per thread, whole counts for threads born since.</summary>
    public long Since(ContextSwitches earlier) =>
        _counts.Sum(kv => kv.Value - earlier._counts.GetValueOrDefault(kv.Key));
}
