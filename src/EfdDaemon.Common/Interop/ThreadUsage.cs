namespace EfdDaemon.Interop;

/// <summary>The calling thread's own scheduling figures (<c>getrusage(RUSAGE_THREAD)</c>, <c>CLOCK_THREAD_CPUTIME_ID</c>).</summary>
internal static class ThreadUsage
{
    /// <summary>
    /// Gets the CPU time the calling thread has used, in nanoseconds (<c>CLOCK_THREAD_CPUTIME_ID</c>):
    /// it does not advance while the thread waits, is preempted, or (with the paravirtual steal clock)
    /// while the hypervisor runs something else on its vCPU.
    /// </summary>
    /// <exception cref="ErrnoException">clock_gettime failed.</exception>
    public static unsafe long CpuTimeNanoseconds()
    {
        NativeMethods.Timespec ts;
        if (NativeMethods.ClockGetTime(NativeMethods.ClockThreadCpuTime, &ts) != 0)
        {
            throw new ErrnoException("clock_gettime(CLOCK_THREAD_CPUTIME_ID)", Errno.Last);
        }

        return (ts.Seconds * 1_000_000_000) + ts.Nanoseconds;
    }

    /// <summary>Gets how many times the calling thread gave up its CPU to wait (<c>ru_nvcsw</c>), since it started.</summary>
    /// <exception cref="ErrnoException">getrusage failed.</exception>
    public static long VoluntarySwitches() => Usage().NVcsw;

    /// <summary>Gets how many times the calling thread lost its CPU to another task (<c>ru_nivcsw</c>: preempted), since it started.</summary>
    /// <exception cref="ErrnoException">getrusage failed.</exception>
    public static long InvoluntarySwitches() => Usage().NIvcsw;

    private static unsafe NativeMethods.Rusage Usage()
    {
        NativeMethods.Rusage usage;
        if (NativeMethods.GetRusage(NativeMethods.RusageThread, &usage) != 0)
        {
            throw new ErrnoException("getrusage(RUSAGE_THREAD)", Errno.Last);
        }

        return usage;
    }
}
