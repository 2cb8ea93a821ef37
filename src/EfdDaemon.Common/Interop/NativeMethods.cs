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

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3);
}
