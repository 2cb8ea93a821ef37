using System.Buffers;
using System.Net.Sockets;

namespace EfdDaemon.Control;

/// <summary>What <see cref="RequestLineReader.ReadAsync"/> found.</summary>
internal enum RequestLineStatus
{
    /// <summary>A line (without its newline) is in <see cref="RequestLineReader.Line"/>.</summary>
    Line,

    /// <summary>The client sent more than the limit without a newline: nothing more is read.</summary>
    TooLong,

    /// <summary>The client closed its side.</summary>
    End,
}

/// <summary>
/// Reads newline-delimited requests from a socket into one fixed buffer of the limit's size, and
/// stops reading at the limit: an over-long line is never buffered whole. The buffer is rented
/// only once a byte is waiting (a zero-byte receive waits for it) and returned whenever no bytes
/// are pending, so a silent connection holds nothing but its descriptor.
/// </summary>
internal sealed class RequestLineReader(Socket socket, int maxLineBytes) : IDisposable
{
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _ended;

    /// <summary>Gets the line found by the last <see cref="ReadAsync"/>; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Line { get; private set; }

    /// <summary>Gets whether a buffer is held (bytes of an unfinished line are pending).</summary>
    public bool HoldsBuffer => _buffer is not null;

    public async ValueTask<RequestLineStatus> ReadAsync(CancellationToken cancellationToken)
    {
        Line = ReadOnlyMemory<byte>.Empty;
        while (true)
        {
            if (_buffer is not null)
            {
                int pending = _end - _start;
                int newline = _buffer.AsSpan(_start, pending).IndexOf((byte)'\n');
                if (newline > maxLineBytes || (newline < 0 && pending > maxLineBytes))
                {
                    return RequestLineStatus.TooLong;
                }

                if (newline >= 0)
                {
                    Line = _buffer.AsMemory(_start, newline);
                    _start += newline + 1;
                    return RequestLineStatus.Line;
                }

                if (_ended && pending > 0)
                {
                    // The last line may come without a newline, as StreamReader.ReadLine allowed.
                    Line = _buffer.AsMemory(_start, pending);
                    _start = _end;
                    return RequestLineStatus.Line;
                }

                Compact();
            }

            if (_ended)
            {
                return RequestLineStatus.End;
            }

            if (_buffer is null)
            {
                // Wait for the first byte without a buffer.
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                _buffer = ArrayPool<byte>.Shared.Rent(maxLineBytes + 1);
            }

            int read = await socket.ReceiveAsync(_buffer.AsMemory(_end, maxLineBytes + 1 - _end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _ended = true;
            }

            _end += read;
        }
    }

    public void Dispose() => Release();

    /// <summary>Moves pending bytes to the front, or returns the buffer when there are none.</summary>
    private void Compact()
    {
        if (_start == _end)
        {
            Release();
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
    }

    private void Release()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _start = _end = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
