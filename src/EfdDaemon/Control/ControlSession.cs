using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;
using EfdDaemon.Events;
using EfdDaemon.Protocol;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Control;

/// <summary>One control-socket connection: a request per line, a reply per line; <c>listen</c> turns it into an event stream.</summary>
internal sealed class ControlSession(Socket socket, ControlServer server, StatusReport status, ILogger logger)
{
    private const int MaxRequestLength = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    public async Task RunAsync(CancellationToken stopping)
    {
        using (socket)
        await using (var stream = new NetworkStream(socket, ownsSocket: false))
        using (var reader = new StreamReader(stream))
        {
            try
            {
                while (await reader.ReadLineAsync(stopping).ConfigureAwait(false) is { } line)
                {
                    if (line.Length > MaxRequestLength)
                    {
                        await ReplyAsync(stream, ControlReply.Failure("request too long"), stopping).ConfigureAwait(false);
                        return;
                    }

                    if (!string.IsNullOrWhiteSpace(line) && !await HandleAsync(line, stream, reader, stopping).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                Log.ControlClientGone(logger, ex.Message);
            }
        }
    }

    /// <summary>Handles one request; returns <see langword="false"/> when the session is over.</summary>
    private async Task<bool> HandleAsync(string line, Stream stream, StreamReader reader, CancellationToken stopping)
    {
        ControlRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(line, ControlJsonContext.Default.ControlRequest);
        }
        catch (JsonException)
        {
            await ReplyAsync(stream, ControlReply.Failure("invalid JSON"), stopping).ConfigureAwait(false);
            return true;
        }

        KindFilter kinds = KindFilter.All;
        if (request?.Kinds is { } names)
        {
            var list = new List<EventKind>(names.Count);
            foreach (string name in names)
            {
                if (!EventKindNames.TryParse(name, out EventKind kind))
                {
                    await ReplyAsync(stream, ControlReply.Failure($"unknown kind '{name}'"), stopping).ConfigureAwait(false);
                    return true;
                }

                list.Add(kind);
            }

            kinds = KindFilter.From(list);
        }

        switch (request?.Cmd)
        {
            case ControlRequest.Status:
                await ReplyAsync(stream, status.Build(), stopping).ConfigureAwait(false);
                return true;
            case ControlRequest.Listen:
                await ListenAsync(stream, reader, kinds, stopping).ConfigureAwait(false);
                return false;
            case null:
                await ReplyAsync(stream, ControlReply.Failure("missing \"cmd\""), stopping).ConfigureAwait(false);
                return true;
            case string cmd:
                await ReplyAsync(stream, ControlReply.Failure($"unknown command '{cmd}'"), stopping).ConfigureAwait(false);
                return true;
        }
    }

    private async Task ListenAsync(Stream stream, StreamReader reader, KindFilter kinds, CancellationToken stopping)
    {
        var client = new ListenClient(kinds);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(stopping);

        // The client ends a listen by closing: watch for EOF while streaming.
        Task watch = WatchForCloseAsync(reader, closed);
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

    private static async Task WatchForCloseAsync(StreamReader reader, CancellationTokenSource closed)
    {
        try
        {
            while (await reader.ReadLineAsync(closed.Token).ConfigureAwait(false) is not null)
            {
                // Anything sent during a listen is ignored.
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }

        await closed.CancelAsync().ConfigureAwait(false);
    }

    private Task ReplyAsync(Stream stream, ControlReply reply, CancellationToken stopping) =>
        WriteLineAsync(stream, w => JsonSerializer.Serialize(w, reply, ControlJsonContext.Default.ControlReply), stopping);

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
