namespace EfdDaemon.Interop;

/// <summary>pidfd_open(2) and pidfd_getfd(2) through syscall(2): Tmds.LibC has no wrappers.</summary>
internal static class Pidfd
{
    // x86-64 and the generic table (arm64) agree on both numbers.
    private const long SysPidfdOpen = 434;
    private const long SysPidfdGetfd = 438;

    /// <summary>Opens a pidfd for process <paramref name="pid"/>.</summary>
    public static FileDescriptor Open(int pid) => NewDescriptor("pidfd_open", SysPidfdOpen, pid, 0);

    /// <summary>Duplicates descriptor <paramref name="targetFd"/> of the process behind <paramref name="pidfd"/> into this process.</summary>
    /// <remarks>
    /// The duplicate shares the target's open file description. Needs PTRACE_MODE_ATTACH_REALCREDS over
    /// the target (root, or the same user without Yama restrictions): EPERM otherwise.
    /// </remarks>
    public static FileDescriptor GetFd(FileDescriptor pidfd, int targetFd)
    {
        using FileDescriptor.Lease lease = pidfd.Borrow();
        return NewDescriptor("pidfd_getfd", SysPidfdGetfd, lease.Number, targetFd);
    }

    private static unsafe FileDescriptor NewDescriptor(string name, long number, long a1, long a2)
    {
        var handle = new FileDescriptor();
        var op = new SyscallOp(number, a1, a2);
        long fd = Errno.RetryOnEintr(&SyscallOp.Call, ref op);
        if (fd < 0)
        {
            var error = Errno.Exception(name);
            handle.Dispose();
            throw error;
        }

        handle.SetDescriptor(fd);
        return handle;
    }

    private readonly struct SyscallOp(long number, long a1, long a2)
    {
        private readonly long _number = number;
        private readonly long _a1 = a1;
        private readonly long _a2 = a2;

        public static long Call(ref SyscallOp op) => NativeMethods.Syscall(op._number, op._a1, op._a2, 0);
    }
}
