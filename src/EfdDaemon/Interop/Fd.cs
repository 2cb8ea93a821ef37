using System.Text;
using Tmds.Linux;

namespace EfdDaemon.Interop;

/// <summary>read/write/open on a <see cref="FileDescriptor"/>, retrying EINTR and mapping EAGAIN.</summary>
internal static unsafe class Fd
{
    /// <summary>Reads into <paramref name="buffer"/>; returns the bytes read, or -1 for EAGAIN.</summary>
    public static int Read(FileDescriptor fd, Span<byte> buffer, string what)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            fixed (byte* p = buffer)
            {
                var op = new IoOp(fd.Number, p, buffer.Length);
                long rc = Errno.RetryOnEintr(&IoOp.Read, ref op);
                if (rc >= 0)
                {
                    return (int)rc;
                }

                return Errno.Last == Errno.EAGAIN ? -1 : throw Errno.Exception(what);
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

    /// <summary>Writes all of <paramref name="data"/> in one call; returns <see langword="false"/> for EAGAIN.</summary>
    public static bool TryWrite(FileDescriptor fd, ReadOnlySpan<byte> data, string what)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            fixed (byte* p = data)
            {
                var op = new IoOp(fd.Number, p, data.Length);
                long rc = Errno.RetryOnEintr(&IoOp.Write, ref op);
                if (rc == data.Length)
                {
                    return true;
                }

                return rc < 0 && Errno.Last == Errno.EAGAIN ? false : throw Errno.Exception(what);
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

    /// <summary>Opens <paramref name="path"/> read-only, non-blocking, close-on-exec.</summary>
    public static FileDescriptor OpenReadNonBlocking(string path)
    {
        var handle = new FileDescriptor();
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = bytes)
        {
            do
            {
                fd = LibC.open(p, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
            }
            while (fd == -1 && Errno.Last == Errno.EINTR);
        }

        if (fd < 0)
        {
            var error = new ErrnoException($"open({path})", Errno.Last);
            handle.Dispose();
            throw error;
        }

        handle.SetDescriptor(fd);
        return handle;
    }

    private readonly struct IoOp(int fd, byte* buffer, int length)
    {
        private readonly int _fd = fd;
        private readonly byte* _buffer = buffer;
        private readonly int _length = length;

        public static long Read(ref IoOp op) => LibC.read(op._fd, op._buffer, (size_t)(ulong)op._length);

        public static long Write(ref IoOp op) => LibC.write(op._fd, op._buffer, (size_t)(ulong)op._length);
    }
}
