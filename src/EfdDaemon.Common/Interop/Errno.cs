using System.Runtime.InteropServices;

namespace EfdDaemon.Interop;

/// <summary>The errno values the programs tell apart, and the one EINTR-retry helper every wrapper goes through.</summary>
/// <remarks>Constants rather than Tmds.LibC's static fields, so they can be used in patterns (Linux values, every architecture).</remarks>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int ENOSYS = 38;

    /// <summary>Gets errno of the last P/Invoke on this thread (every import used here sets it).</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>Runs <paramref name="syscall"/> until it returns anything but -1 with EINTR.</summary>
    /// <remarks>
    /// A function pointer and a by-ref state keep the retry loop allocation-free on the hot path. Each
    /// wrapper passes a small struct holding the call's arguments and a static method making the call.
    /// </remarks>
    public static unsafe long RetryOnEintr<TState>(delegate*<ref TState, long> syscall, ref TState state)
        where TState : struct
    {
        long rc;
        do
        {
            rc = syscall(ref state);
        }
        while (rc == -1 && Last == EINTR);

        return rc;
    }

    /// <summary>Creates the exception for the calling thread's last errno.</summary>
    public static ErrnoException Exception(string syscall) => new(syscall, Last);
}
