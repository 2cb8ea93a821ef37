using System.Runtime.InteropServices;
using Tmds.Linux;

namespace EfdDaemon.Interop;

/// <summary>Owns one Linux file descriptor and closes it when released.</summary>
/// <remarks>
/// Allocate the handle before the syscall that creates the descriptor and hand the number to
/// <see cref="SetDescriptor"/> right after it, so no descriptor leaks when the allocation fails.
/// </remarks>
internal sealed class FileDescriptor : SafeHandle
{
    public FileDescriptor()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>Gets the descriptor number, for run files and log lines only.</summary>
    public int Number => (int)handle.ToInt64();

    internal void SetDescriptor(int fd) => SetHandle(new IntPtr(fd));

    protected override bool ReleaseHandle()
    {
        // close() is not retried on EINTR: on Linux the descriptor is gone either way.
        return LibC.close((int)handle.ToInt64()) == 0;
    }
}
