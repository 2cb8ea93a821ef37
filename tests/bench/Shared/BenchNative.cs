using System.Runtime.InteropServices;

namespace EfdDaemon.Bench;

/// <summary>The few syscalls the benchmarks make themselves, imported directly (errno through <see cref="Marshal.GetLastPInvokeError"/>).</summary>
internal static unsafe partial class BenchNative
{
    public const int EfdSemaphore = 0x1;
    public const int EfdNonblock = 0x800;
    public const int EfdCloexec = 0x80000;
    private const int Eintr = 4;
    private const int Eagain = 11;
    private const long SysPidfdOpen = 434;
    private const long SysPidfdGetfd = 438;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>Creates an eventfd with <c>EFD_CLOEXEC | EFD_NONBLOCK</c> plus <paramref name="extraFlags"/>.</summary>
    public static int CreateEventfd(int extraFlags = 0)
    {
        int fd = EventfdImport(0, EfdCloexec | EfdNonblock | extraFlags);
        return fd >= 0 ? fd : throw Error("eventfd");
    }

    /// <summary>Blocks in poll() until <paramref name="fd"/> is readable, then reads its counter.</summary>
    public static ulong WaitRead(int fd)
    {
        PollFd p = new() { Fd = fd, Events = 1 };
        ulong value;
        while (true)
        {
            if (PollImport(&p, 1, -1) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr)
                {
                    continue;
                }

                throw Error("poll", errno);
            }

            if (ReadImport(fd, &value, 8) == 8)
            {
                return value;
            }

            int e = Marshal.GetLastPInvokeError();
            if (e != Eagain && e != Eintr)
            {
                throw Error("read", e);
            }
        }
    }

    /// <summary>Reads the counter of non-blocking eventfd <paramref name="fd"/> without waiting; false when it is 0 (EAGAIN).</summary>
    public static bool TryRead(int fd, out ulong value)
    {
        ulong v;
        while (ReadImport(fd, &v, 8) != 8)
        {
            int e = Marshal.GetLastPInvokeError();
            if (e == Eagain)
            {
                value = 0;
                return false;
            }

            if (e != Eintr)
            {
                throw Error("read", e);
            }
        }

        value = v;
        return true;
    }

    /// <summary>Adds <paramref name="value"/> to the counter of eventfd <paramref name="fd"/>.</summary>
    public static void Write(int fd, ulong value)
    {
        while (WriteImport(fd, &value, 8) != 8)
        {
            int e = Marshal.GetLastPInvokeError();
            if (e != Eagain && e != Eintr)
            {
                throw Error("write", e);
            }
        }
    }

    public static void Close(int fd) => _ = CloseImport(fd);

    /// <summary>Tells whether <paramref name="fd"/> is readable now (an eventfd: its counter is not 0).</summary>
    public static bool Readable(int fd)
    {
        PollFd p = new() { Fd = fd, Events = 1 };
        return PollImport(&p, 1, 0) > 0 && (p.Revents & 1) != 0;
    }

    /// <summary>Duplicates descriptor <paramref name="targetFd"/> of process <paramref name="pid"/> into this process (pidfd_open + pidfd_getfd).</summary>
    public static int GetFdOf(int pid, int targetFd)
    {
        long pidfd = SyscallImport(SysPidfdOpen, pid, 0, 0);
        if (pidfd < 0)
        {
            throw Error("pidfd_open");
        }

        long fd = SyscallImport(SysPidfdGetfd, pidfd, targetFd, 0);
        var error = fd < 0 ? Error("pidfd_getfd") : null;
        _ = CloseImport((int)pidfd);
        return error is null ? (int)fd : throw error;
    }

    /// <summary>Pins thread <paramref name="tid"/> (0: the calling thread) to one CPU.</summary>
    public static void PinThread(int tid, int cpu)
    {
        ulong mask = 1UL << cpu;
        if (SchedSetaffinityImport(tid, 8, &mask) < 0)
        {
            throw Error("sched_setaffinity");
        }
    }

    public static int CurrentThreadId() => GettidImport();

    private static InvalidOperationException Error(string syscall) => Error(syscall, Marshal.GetLastPInvokeError());

    private static InvalidOperationException Error(string syscall, int errno) =>
        new($"{syscall}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventfdImport(uint initval, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollImport(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadImport(int fd, void* buf, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteImport(int fd, void* buf, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseImport(int fd);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long SyscallImport(long number, long a1, long a2, long a3);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetaffinityImport(int pid, nuint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GettidImport();
}
