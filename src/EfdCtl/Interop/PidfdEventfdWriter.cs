using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

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
    // x86-64 and the generic table (arm64) agree on both numbers.
    private const int SysPidfdOpen = 434;
    private const int SysPidfdGetfd = 438;
    private const string EventfdLink = "anon_inode:[eventfd]";

    public static void Write(int pid, int targetFd, ulong value)
    {
        using SafeFdHandle pidfd = PidfdOpen(pid);
        using SafeFdHandle eventfd = PidfdGetfd(pidfd, targetFd);
        string target = ReadFdLink(eventfd);
        if (!string.Equals(target, EventfdLink, StringComparison.Ordinal))
        {
            throw new NotAnEventfdException(pid, targetFd, target);
        }

        WriteCounter(eventfd, value);
    }

    private static SafeFdHandle PidfdOpen(int pid)
    {
        var handle = new SafeFdHandle();
        long rc = Retry(() => (ssize_t)LibC.syscall(SysPidfdOpen, pid, 0));
        if (rc < 0)
        {
            handle.Dispose();
            throw ErrnoException.FromLastError("pidfd_open");
        }

        handle.SetFd(rc);
        return handle;
    }

    private static SafeFdHandle PidfdGetfd(SafeFdHandle pidfd, int targetFd)
    {
        var handle = new SafeFdHandle();
        bool added = false;
        try
        {
            pidfd.DangerousAddRef(ref added);
            int pfd = pidfd.DangerousFd;
            long rc = Retry(() => (ssize_t)LibC.syscall(SysPidfdGetfd, pfd, targetFd, 0));
            if (rc < 0)
            {
                handle.Dispose();
                throw ErrnoException.FromLastError("pidfd_getfd");
            }

            handle.SetFd(rc);
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

    private static unsafe string ReadFdLink(SafeFdHandle fd)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            byte[] path = Encoding.ASCII.GetBytes(
                string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{fd.DangerousFd}\0"));
            byte* buffer = stackalloc byte[256];
            fixed (byte* p = path)
            {
                long n = LibC.readlink(p, buffer, 256);
                if (n < 0)
                {
                    throw ErrnoException.FromLastError("readlink");
                }

                return Encoding.UTF8.GetString(buffer, (int)n);
            }
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    private static unsafe void WriteCounter(SafeFdHandle fd, ulong value)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            int raw = fd.DangerousFd;
            ulong v = value;
            long rc;
            do
            {
                rc = (long)LibC.write(raw, &v, sizeof(ulong));
            }
            while (rc < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

            if (rc < 0)
            {
                throw ErrnoException.FromLastError("write");
            }
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    /// <summary>Repeats a call interrupted by a signal (EINTR).</summary>
    private static long Retry(Func<long> call)
    {
        long rc;
        do
        {
            rc = call();
        }
        while (rc < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

        return rc;
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
