using Tmds.Linux;

namespace EfdDaemon.Interop;

/// <summary>eventfd(2): create, read and write an eventfd counter.</summary>
internal static unsafe class Eventfd
{
    /// <summary>Creates an eventfd with <c>EFD_CLOEXEC | EFD_NONBLOCK</c>, plus <c>EFD_SEMAPHORE</c> when asked.</summary>
    public static FileDescriptor Create(bool semaphore)
    {
        var handle = new FileDescriptor();
        int flags = LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK | (semaphore ? LibC.EFD_SEMAPHORE : 0);
        int fd = LibC.eventfd(0, flags);
        if (fd < 0)
        {
            var error = Errno.Exception("eventfd");
            handle.Dispose();
            throw error;
        }

        handle.SetDescriptor(fd);
        return handle;
    }

    /// <summary>Reads the counter; returns <see langword="false"/> when it is zero (EAGAIN).</summary>
    public static bool TryRead(FileDescriptor fd, out ulong value)
    {
        ulong v = 0;
        bool read = Fd.TryRead(fd, new Span<byte>(&v, sizeof(ulong)), "read(eventfd)", out _);
        value = v;
        return read;
    }

    /// <summary>Adds <paramref name="value"/> to the counter.</summary>
    /// <exception cref="ErrnoException">EAGAIN when the counter would overflow (the fd is non-blocking, as
    /// the daemon's is, also through a <c>pidfd_getfd</c> duplicate).</exception>
    public static void Write(FileDescriptor fd, ulong value)
    {
        if (!Fd.TryWrite(fd, new ReadOnlySpan<byte>(&value, sizeof(ulong)), "write(eventfd)"))
        {
            throw new ErrnoException("write(eventfd)", Errno.EAGAIN);
        }
    }
}
