using System.Runtime.InteropServices;
using Tmds.Linux;

namespace EfdDaemon.Interop;

/// <summary>errno values and the one EINTR-retry helper every wrapper goes through.</summary>
internal static class Errno
{
    public static int EINTR => LibC.EINTR;

    public static int EAGAIN => LibC.EAGAIN;

    public const int EBUSY = 16;

    public const int ENOENT = 2;

    /// <summary>Gets errno of the last P/Invoke on this thread (every import here sets it).</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>Runs <paramref name="syscall"/> until it returns anything but -1 with EINTR.</summary>
    /// <remarks>A function pointer and a by-ref state keep the retry loop allocation-free on the hot path.</remarks>
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

    public static ErrnoException Exception(string syscall) => new(syscall, Last);
}
