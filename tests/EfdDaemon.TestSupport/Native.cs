using System.Runtime.InteropServices;
using EfdDaemon.Interop;

namespace EfdDaemon.TestSupport;

/// <summary>The few syscalls the tests need to observe processes and signal eventfds.</summary>
public static unsafe partial class Native
{
    public static uint EffectiveUid => geteuid();

    public static bool IsRoot => geteuid() == 0;

    /// <summary>Adds <paramref name="value"/> to the eventfd <paramref name="fd"/> of this process (the in-process daemon's).</summary>
    public static void SignalEventfd(int fd, ulong value = 1)
    {
        if (write(fd, &value, sizeof(ulong)) != sizeof(ulong))
        {
            throw new IOException($"write(eventfd {fd}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits until process <paramref name="pid"/> (not necessarily our child) has exited, through a pidfd.</summary>
    /// <returns><see langword="false"/> if it still runs after <paramref name="timeout"/>.</returns>
    public static bool WaitForProcessExit(int pid, TimeSpan timeout)
    {
        FileDescriptor pidfd;
        try
        {
            pidfd = Pidfd.Open(pid);
        }
        catch (ErrnoException e) when (e.IsNoSuchProcess)
        {
            return true; // already gone (and reaped)
        }

        using (pidfd)
        using (var poller = new Poller(pidfd))
        {
            poller.Wait((int)timeout.TotalMilliseconds);
            return poller.IsReadable(0); // a pidfd is readable once its process has exited
        }
    }

    /// <summary>A connected pair of non-blocking, close-on-exec AF_UNIX stream sockets.</summary>
    public static (int First, int Second) SocketPair()
    {
        const int AfUnix = 1, SockStream = 1, SockNonblock = 0x800, SockCloexec = 0x80000;
        int* fds = stackalloc int[2];
        if (socketpair(AfUnix, SockStream | SockNonblock | SockCloexec, 0, fds) != 0)
        {
            throw new IOException($"socketpair failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return (fds[0], fds[1]);
    }

    public static void MakeFifo(string path)
    {
        if (mkfifo(path, 0b110_000_000) != 0)
        {
            throw new IOException($"mkfifo({path}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

#pragma warning disable IDE1006, SA1300
    [LibraryImport("libc.so.6")]
    private static partial uint geteuid();

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial nint write(int fd, void* buf, nuint count);

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkfifo(string path, uint mode);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int socketpair(int domain, int type, int protocol, int* fds);
#pragma warning restore IDE1006, SA1300
}
