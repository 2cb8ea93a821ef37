using System.Runtime.InteropServices;

namespace EfdDaemon.Interop;

/// <summary>The imports Tmds.LibC lacks or that must set errno reliably.</summary>
/// <remarks>
/// Tmds.LibC's <c>poll</c> does not preserve errno, so poll is imported here with
/// <c>SetLastError</c>; Tmds.LibC has no pidfd wrappers, so <c>syscall</c> is imported the same way.
/// Both leave errno where <see cref="Errno.Last"/> reads it, like Tmds.LibC's own imports.
/// Tmds.LibC has no <c>getrusage</c> either, nor <c>clock_gettime</c> with a thread clock.
/// </remarks>
internal static unsafe partial class NativeMethods
{
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    public const short PollIn = 0x001;
    public const short PollErr = 0x008;
    public const short PollHup = 0x010;
    public const short PollNval = 0x020;

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint nfds, int timeout);

    /// <summary>ppoll(2)'s number for <see cref="Syscall"/> (arm64 has no poll(2)); -1 elsewhere: use libc's poll.</summary>
    public static readonly long SysPpoll = RuntimeInformation.ProcessArchitecture switch { Architecture.X64 => 271, Architecture.Arm64 => 73, _ => -1 };

    /// <summary>poll(2) without glibc's thread-cancellation wrapper: ppoll through <see cref="Syscall"/>, no signal mask.</summary>
    public static int PollNoCancel(PollFd* fds, nuint nfds, int timeoutMs)
    {
        if (SysPpoll < 0)
        {
            return Poll(fds, nfds, timeoutMs);
        }

        if (timeoutMs < 0)
        {
            return (int)Syscall5(SysPpoll, (long)fds, (long)nfds, 0, 0, sizeof(ulong));
        }

        var ts = new Timespec { Seconds = timeoutMs / 1000, Nanoseconds = (timeoutMs % 1000) * 1_000_000L };
        return (int)Syscall5(SysPpoll, (long)fds, (long)nfds, (long)&ts, 0, sizeof(ulong));
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall5(long number, long a1, long a2, long a3, long a4, long a5);

    public const int RusageThread = 1;

    /// <summary><c>struct rusage</c> on 64-bit Linux: two timevals, then fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Rusage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals;
        public long NVcsw, NIvcsw;
    }

    public const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    public static partial int ClockGetTime(int clock, Timespec* ts);

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    public static partial int GetRusage(int who, Rusage* usage);

    /// <summary>The numbers of read(2) and write(2) for <see cref="Syscall"/> (x86-64's table and the generic one differ); -1 elsewhere: use libc's wrappers.</summary>
    public static readonly long SysRead = RuntimeInformation.ProcessArchitecture switch { Architecture.X64 => 0, Architecture.Arm64 => 63, _ => -1 };

    /// <inheritdoc cref="SysRead"/>
    public static readonly long SysWrite = RuntimeInformation.ProcessArchitecture switch { Architecture.X64 => 1, Architecture.Arm64 => 64, _ => -1 };

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3);
}
