using System.Runtime.InteropServices;
using Tmds.Linux;

namespace EfdDaemon.Interop;

/// <summary>Owns one Linux file descriptor and closes it when released.</summary>
/// <remarks>
/// Allocate the handle before the syscall that creates the descriptor and hand the number to
/// <see cref="SetDescriptor"/> right after it, so no descriptor leaks when the allocation fails.
/// Code that passes the number to a syscall holds a <see cref="Lease"/> for the call, so a
/// concurrent dispose cannot close (and the kernel reuse) the number underneath it.
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

    /// <summary>Holds the descriptor open until the returned lease is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The descriptor was closed.</exception>
    public Lease Borrow()
    {
        bool added = false;
        DangerousAddRef(ref added);
        return new Lease(this);
    }

    internal void SetDescriptor(long fd) => SetHandle(new IntPtr(fd));

    protected override bool ReleaseHandle()
    {
        // close() is not retried on EINTR: on Linux the descriptor is gone either way.
        return LibC.close((int)handle.ToInt64()) == 0;
    }

    /// <summary>A reference that keeps a <see cref="FileDescriptor"/> open for a syscall (<c>using var fd = handle.Borrow();</c>).</summary>
    internal readonly ref struct Lease(FileDescriptor owner)
    {
        public int Number => owner.Number;

        public void Dispose() => owner.DangerousRelease();
    }
}
