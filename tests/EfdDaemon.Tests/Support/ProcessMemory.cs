using System.Globalization;

namespace EfdDaemon.Tests.Support;

/// <summary>A process's resident memory from <c>/proc/PID/status</c>: VmRSS now and VmHWM, the peak since start or <see cref="ResetPeak"/>.</summary>
internal static class ProcessMemory
{
    public const long MiB = 1024 * 1024;

    public static long Rss(int pid) => Read(pid, "VmRSS:");

    public static long Peak(int pid) => Read(pid, "VmHWM:");

    /// <summary>Resets VmHWM to the current RSS (<c>echo 5 &gt; /proc/PID/clear_refs</c>; needs the process's owner or root).</summary>
    public static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    public static string Describe(long bytes) => (bytes / (double)MiB).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static long Read(int pid, string field)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                // "VmRSS:	   45312 kB"
                string kib = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
    }
}
