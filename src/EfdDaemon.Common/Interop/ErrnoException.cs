using System.Runtime.InteropServices;

namespace EfdDaemon.Interop;

/// <summary>A failed syscall: its name and errno, like tmds' PlatformException.</summary>
internal sealed class ErrnoException : IOException
{
    public ErrnoException(string syscall, int errno)
        : base($"{syscall}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Syscall = syscall;
        Errno = errno;
        HResult = errno;
    }

    public ErrnoException()
        : this("unknown", 0)
    {
    }

    public ErrnoException(string message)
        : base(message)
    {
        Syscall = "unknown";
    }

    public ErrnoException(string message, Exception innerException)
        : base(message, innerException)
    {
        Syscall = "unknown";
    }

    public string Syscall { get; }

    public int Errno { get; }

    public bool IsPermissionDenied => Errno is Interop.Errno.EPERM or Interop.Errno.EACCES;

    public bool IsNoSuchProcess => Errno == Interop.Errno.ESRCH;
}
