using EfdDaemon.Interop;
using Tmds.Linux;

namespace EfdCtl.Interop;

/// <summary>
/// Unbuffered write(2) on fd 1. Unlike Console.Out it reports EPIPE (so <c>efdctl listen | head -1</c>
/// ends), and unlike a FileStream it advances the shared file offset (FileStream uses pwrite on a
/// regular file, so <c>{ efdctl status; echo done; } &gt; file</c> would have its output overwritten).
/// </summary>
internal sealed class StandardOutputStream : Stream
{
    private const int StdoutFd = 1;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                var op = new WriteOp(start + done, buffer.Length - done);
                long n = Errno.RetryOnEintr(&WriteOp.Write, ref op);
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }

                int errno = Errno.Last;
                if (errno == Errno.EAGAIN)
                {
                    WaitWritable(); // stdout inherited O_NONBLOCK (a shared tty or pipe)
                    continue;
                }

                var error = new ErrnoException("write", errno);
                throw new IOException($"stdout: {error.Message}", error);
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private static unsafe void WaitWritable()
    {
        var fds = new pollfd { fd = StdoutFd, events = LibC.POLLOUT };
        _ = LibC.poll(&fds, 1, -1); // any outcome: the write is retried and reports a real error
    }

    private readonly unsafe struct WriteOp(byte* data, int length)
    {
        private readonly byte* _data = data;
        private readonly int _length = length;

        public static long Write(ref WriteOp op) => LibC.write(StdoutFd, op._data, op._length);
    }
}
