namespace EfdDaemon.Interop;

/// <summary>pidfd_open(2) and pidfd_getfd(2) through syscall(2): Tmds.LibC has no wrappers (x86-64 numbers).</summary>
internal static class Pidfd
{
    /// <summary>Opens a pidfd for process <paramref name="pid"/>.</summary>
    public static FileDescriptor Open(int pid)
    {
        var handle = new FileDescriptor();
        long fd = NativeMethods.Syscall(NativeMethods.SysPidfdOpen, pid, 0, 0);
        if (fd < 0)
        {
            var error = Errno.Exception("pidfd_open");
            handle.Dispose();
            throw error;
        }

        handle.SetDescriptor((int)fd);
        return handle;
    }

    /// <summary>Duplicates descriptor <paramref name="targetFd"/> of the process behind <paramref name="pidfd"/> into this process.</summary>
    /// <remarks>Needs PTRACE_MODE_ATTACH_REALCREDS over the target (root, or the same user without Yama restrictions).</remarks>
    public static FileDescriptor GetFd(FileDescriptor pidfd, int targetFd)
    {
        var handle = new FileDescriptor();
        bool added = false;
        try
        {
            pidfd.DangerousAddRef(ref added);
            long fd = NativeMethods.Syscall(NativeMethods.SysPidfdGetfd, pidfd.Number, targetFd, 0);
            if (fd < 0)
            {
                var error = Errno.Exception("pidfd_getfd");
                handle.Dispose();
                throw error;
            }

            handle.SetDescriptor((int)fd);
            return handle;
        }
        finally
        {
            if (added)
            {
                pidfd.DangerousRelease();
            }
        }
    }
}
