using System.Globalization;
using System.Text;
using Tmds.Linux;

namespace EfdDaemon.Interop;

/// <summary>read, write, open and readlink on a <see cref="FileDescriptor"/>, retrying EINTR and telling EAGAIN apart.</summary>
internal static unsafe class Fd
{
    /// <summary>Reads into <paramref name="buffer"/>; <see langword="false"/> for EAGAIN (nothing to read on a non-blocking fd).</summary>
    /// <exception cref="ErrnoException">Any other failure.</exception>
    public static bool TryRead(FileDescriptor fd, Span<byte> buffer, string what, out int read)
    {
        using FileDescriptor.Lease lease = fd.Borrow();
        fixed (byte* p = buffer)
        {
            var op = new IoOp(lease.Number, p, buffer.Length);
            long rc = Errno.RetryOnEintr(&IoOp.Read, ref op);
            read = rc >= 0 ? (int)rc : 0;
            return rc >= 0 || (Errno.Last == Errno.EAGAIN ? false : throw Errno.Exception(what));
        }
    }

    /// <summary>Writes all of <paramref name="data"/> in one call; <see langword="false"/> for EAGAIN.</summary>
    /// <exception cref="ErrnoException">Any other failure, or a short write.</exception>
    public static bool TryWrite(FileDescriptor fd, ReadOnlySpan<byte> data, string what)
    {
        using FileDescriptor.Lease lease = fd.Borrow();
        fixed (byte* p = data)
        {
            var op = new IoOp(lease.Number, p, data.Length);
            long rc = Errno.RetryOnEintr(&IoOp.Write, ref op);
            if (rc == data.Length)
            {
                return true;
            }

            return rc < 0 && Errno.Last == Errno.EAGAIN ? false : throw Errno.Exception(what);
        }
    }

    /// <summary>Opens <paramref name="path"/> read-only, non-blocking, close-on-exec.</summary>
    public static FileDescriptor OpenReadNonBlocking(string path) => Open(path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);

    /// <summary>Opens <paramref name="path"/> for reading and writing, non-blocking, close-on-exec.</summary>
    public static FileDescriptor OpenReadWriteNonBlocking(string path) => Open(path, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);

    private static FileDescriptor Open(string path, int flags)
    {
        var handle = new FileDescriptor();
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        long fd;
        fixed (byte* p = bytes)
        {
            var op = new OpenOp(p, flags);
            fd = Errno.RetryOnEintr(&OpenOp.Open, ref op);
        }

        if (fd < 0)
        {
            var error = Errno.Exception($"open({path})");
            handle.Dispose();
            throw error;
        }

        handle.SetDescriptor(fd);
        return handle;
    }

    /// <summary>Reads what <c>/proc/self/fd/N</c> names, e.g. <c>anon_inode:[eventfd]</c>.</summary>
    public static string DescribeTarget(FileDescriptor fd)
    {
        using FileDescriptor.Lease lease = fd.Borrow();
        byte[] path = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{lease.Number}\0"));
        byte* buffer = stackalloc byte[256];
        fixed (byte* p = path)
        {
            long n = LibC.readlink(p, buffer, 256);
            return n >= 0 ? Encoding.UTF8.GetString(buffer, (int)n) : throw Errno.Exception("readlink");
        }
    }

    /// <summary>
    /// read and write through <c>syscall(2)</c>: glibc's own wrappers are thread-cancellation points,
    /// which .NET never uses, and their enable/disable pair cost 5 % of the reader thread's time per
    /// event in a perf profile of the saturated eventfd.
    /// </summary>
    private readonly struct IoOp(int fd, byte* buffer, int length)
    {
        private readonly int _fd = fd;
        private readonly byte* _buffer = buffer;
        private readonly int _length = length;

        public static long Read(ref IoOp op) => NativeMethods.SysRead >= 0
            ? NativeMethods.Syscall(NativeMethods.SysRead, op._fd, (long)op._buffer, op._length)
            : LibC.read(op._fd, op._buffer, (size_t)(ulong)op._length);

        public static long Write(ref IoOp op) => NativeMethods.SysWrite >= 0
            ? NativeMethods.Syscall(NativeMethods.SysWrite, op._fd, (long)op._buffer, op._length)
            : LibC.write(op._fd, op._buffer, (size_t)(ulong)op._length);
    }

    private readonly struct OpenOp(byte* path, int flags)
    {
        private readonly byte* _path = path;
        private readonly int _flags = flags;

        public static long Open(ref OpenOp op) => LibC.open(op._path, op._flags, 0);
    }
}
