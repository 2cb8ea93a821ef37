using EfdDaemon.Interop;

namespace EfdCtl.Interop;

/// <summary>
/// Writes to another process's eventfd: <c>pidfd_open(pid)</c>, <c>pidfd_getfd(pidfd, fd)</c>
/// (a duplicate sharing the same open file description), one 8-byte <c>write</c>.
/// </summary>
/// <remarks>
/// <c>pidfd_getfd</c> needs ptrace access to the target (root, or CAP_SYS_PTRACE): EPERM otherwise.
/// Before writing, the duplicate is checked to be an eventfd (<c>anon_inode:[eventfd]</c>), so a
/// stale run file never makes us write 8 bytes into some unrelated file of the daemon.
/// </remarks>
internal static class PidfdEventfdWriter
{
    private const string EventfdLink = "anon_inode:[eventfd]";

    public static void Write(int pid, int targetFd, ulong value)
    {
        using FileDescriptor pidfd = Pidfd.Open(pid);
        using FileDescriptor eventfd = Pidfd.GetFd(pidfd, targetFd);
        string target = Fd.DescribeTarget(eventfd);
        if (!string.Equals(target, EventfdLink, StringComparison.Ordinal))
        {
            throw new NotAnEventfdException(pid, targetFd, target);
        }

        Eventfd.Write(eventfd, value);
    }
}

/// <summary>The fd named by the run file is open in the daemon but is not an eventfd.</summary>
internal sealed class NotAnEventfdException : Exception
{
    public NotAnEventfdException(int pid, int fd, string target)
        : base($"fd {fd} of process {pid} is {target}, not an eventfd (stale run file?)")
    {
    }

    public NotAnEventfdException()
    {
    }

    public NotAnEventfdException(string message)
        : base(message)
    {
    }

    public NotAnEventfdException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
