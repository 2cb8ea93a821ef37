using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;
using EfdDaemon.Events;
using EfdDaemon.Protocol;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Control;

/// <summary>One control-socket connection: a request per line, a reply per line; <c>listen</c> turns it into an event stream.</summary>
/// <remarks>
/// Bounded (src/EfdDaemon/INTERFACES.md, Bounds): a request line is read into one buffer of
/// <see cref="ControlSocketOptions.MaxRequestBytes"/> and no further; a connection that is not
/// listening is closed after <see cref="ControlSocketOptions.ControlIdleTimeout"/> without a request
/// (or without taking its reply); a listener's memory is its <see cref="ListenClient"/> queue and its socket buffer.
/// </remarks>
internal sealed class ControlSession(
    Socket socket,
    ControlServer server,
    StatusReport status,
    ControlSocketOptions options,
    TimeProvider time,
    ILogger logger)
{
    private static readonly byte[] TooLongReply = Encode(ControlReply.Failure("request too long"));
    private static readonly byte[] IdleReply = Encode(ControlReply.Failure("idle timeout: closing"));

    private readonly ArrayBufferWriter<byte> _buffer = new();

    public async Task RunAsync(CancellationToken stopping)
    {
        using (socket)
        using (var reader = new RequestLineReader(socket, ControlSocketOptions.MaxRequestBytes))
        using (var idle = new CancellationTokenSource(options.ControlIdleTimeout, time))
        using (var session = CancellationTokenSource.CreateLinkedTokenSource(stopping, idle.Token))
        await using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            try
            {
                while (true)
                {
                    RequestLineStatus read = await reader.ReadAsync(session.Token).ConfigureAwait(false);
                    if (read == RequestLineStatus.End)
                    {
                        return;
                    }

                    if (read == RequestLineStatus.TooLong)
                    {
                        Log.ControlRequestTooLong(logger, ControlSocketOptions.MaxRequestBytes);
                        TrySendNow(TooLongReply);
                        return;
                    }

                    ReadOnlyMemory<byte> line = TrimLine(reader.Line);
                    if (line.IsEmpty)
                    {
                        continue;
                    }

                    // Re-armed as each request arrives: its reply, too, must be taken within the idle time.
                    idle.CancelAfter(options.ControlIdleTimeout);
                    if (!await HandleAsync(line, stream, reader, idle, session.Token, stopping).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (idle.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                Log.ControlClientIdle(logger, options.ControlIdleTimeout);
                TrySendNow(IdleReply);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                Log.ControlClientGone(logger, ex.Message);
            }
        }
    }

    /// <summary>Sends a last line without waiting: a client that does not read cannot hold the session.</summary>
    internal static void TrySendNow(Socket socket, byte[] line)
    {
        try
        {
            socket.Blocking = false;
            socket.Send(line, SocketFlags.None);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client is gone or its buffer is full: closing is all that is left.
        }
    }

    internal static byte[] Encode(ControlReply reply)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, reply, ControlJsonContext.Default.ControlReply);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static ReadOnlyMemory<byte> TrimLine(ReadOnlyMemory<byte> line)
    {
        ReadOnlySpan<byte> span = line.Span;
        int start = 0, end = span.Length;
        while (start < end && IsSpace(span[start]))
        {
            start++;
        }

        while (end > start && IsSpace(span[end - 1]))
        {
            end--;
        }

        return line[start..end];

        static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';
    }

    private void TrySendNow(byte[] line) => TrySendNow(socket, line);

    /// <summary>Handles one request; returns <see langword="false"/> when the session is over.</summary>
    private async Task<bool> HandleAsync(
        ReadOnlyMemory<byte> line, Stream stream, RequestLineReader reader, CancellationTokenSource idle, CancellationToken session, CancellationToken stopping)
    {
        ControlRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(line.Span, ControlJsonContext.Default.ControlRequest);
        }
        catch (JsonException)
        {
            await ReplyAsync(stream, ControlReply.Failure("invalid JSON"), session).ConfigureAwait(false);
            return true;
        }

        KindFilter kinds = KindFilter.All;
        if (request?.Kinds is { } names)
        {
            string? problem = null;
            kinds = KindFilter.Parse(names, e => problem ??= e);
            if (problem is not null)
            {
                await ReplyAsync(stream, ControlReply.Failure(problem), session).ConfigureAwait(false);
                return true;
            }
        }

        switch (request?.Cmd)
        {
            case ControlRequest.Status:
                await ReplyAsync(stream, status.Build(), session).ConfigureAwait(false);
                return true;
            case ControlRequest.Listen:
                // A listener is exempt from the idle timeout: only the daemon's stop ends it, or the client.
                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                reader.Dispose();
                await ListenAsync(stream, kinds, stopping).ConfigureAwait(false);
                return false;
            case null:
                await ReplyAsync(stream, ControlReply.Failure("missing \"cmd\""), session).ConfigureAwait(false);
                return true;
            case string cmd:
                await ReplyAsync(stream, ControlReply.Failure($"unknown command '{cmd}'"), session).ConfigureAwait(false);
                return true;
        }
    }

    private async Task ListenAsync(Stream stream, KindFilter kinds, CancellationToken stopping)
    {
        var client = new ListenClient(kinds, server.Counters);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(stopping);

        // The client ends a listen by closing: watch for EOF while streaming.
        Task watch = WatchForCloseAsync(socket, closed);
        server.AddListener(client);
        try
        {
            await ReplyAsync(stream, new ControlReply { Ok = true, Listening = true }, closed.Token).ConfigureAwait(false);
            byte[] payload = new byte[KernelEvent.MaxPayloadLength];
            while (await client.Reader.WaitToReadAsync(closed.Token).ConfigureAwait(false))
            {
                while (client.Reader.TryRead(out EventRecord record))
                {
                    long skipped = client.TakeSkipped();
                    if (skipped > 0)
                    {
                        await WriteLineAsync(stream, w => JsonSerializer.Serialize(w, new ListenEvent { Skipped = skipped }, ControlJsonContext.Default.ListenEvent), closed.Token).ConfigureAwait(false);
                    }

                    await WriteLineAsync(stream, w => EventJson.Write(w, record, payload), closed.Token).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            server.RemoveListener(client);
            await closed.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }
    }

    /// <summary>Discards what a listener sends (a small fixed buffer, after a zero-byte wait) until it closes.</summary>
    private static async Task WatchForCloseAsync(Socket socket, CancellationTokenSource closed)
    {
        try
        {
            byte[]? discard = null;
            while (true)
            {
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, closed.Token).ConfigureAwait(false);
                discard ??= new byte[256];
                if (await socket.ReceiveAsync(discard, SocketFlags.None, closed.Token).ConfigureAwait(false) == 0)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        await closed.CancelAsync().ConfigureAwait(false);
    }

    private Task ReplyAsync(Stream stream, ControlReply reply, CancellationToken cancellationToken) =>
        WriteLineAsync(stream, w => JsonSerializer.Serialize(w, reply, ControlJsonContext.Default.ControlReply), cancellationToken);

    private async Task WriteLineAsync(Stream stream, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            write(writer);
        }

        _buffer.Write("\n"u8);
        await stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
