namespace EfdDaemon.Interop;

/// <summary>The calling thread's own scheduling figures (<c>getrusage(RUSAGE_THREAD)</c>).</summary>
internal static class ThreadUsage
{
    /// <summary>Gets how many times the calling thread lost its CPU to another task (<c>ru_nivcsw</c>: preempted), since it started.</summary>
    /// <exception cref="ErrnoException">getrusage failed.</exception>
    public static unsafe long InvoluntarySwitches()
    {
        NativeMethods.Rusage usage;
        if (NativeMethods.GetRusage(NativeMethods.RusageThread, &usage) != 0)
        {
            throw new ErrnoException("getrusage(RUSAGE_THREAD)", Errno.Last);
        }

        return usage.NIvcsw;
    }
}
