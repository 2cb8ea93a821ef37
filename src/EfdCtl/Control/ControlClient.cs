using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using EfdDaemon.Protocol;

namespace EfdCtl.Control;

/// <summary>One connection to the daemon's control socket: NDJSON requests and replies.</summary>
internal sealed class ControlClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly NetworkStream _stream;

    private ControlClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(_stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
    }

    /// <summary>Connects to <paramref name="socketPath"/>; a missing or dead socket is "not running".</summary>
    public static async Task<ControlClient> ConnectAsync(string socketPath, bool isRoot, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return new ControlClient(socket);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw e.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.ConnectionRefused =>
                    CtlException.NotRunning(File.Exists(socketPath) ? $"nothing listens on {socketPath}" : $"no {socketPath}"),
                SocketError.AccessDenied => CtlException.PermissionDenied($"cannot connect to {socketPath}", isRoot),
                _ => CtlException.Failed($"cannot connect to {socketPath}: {e.Message}"),
            };
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <c>{"cmd":"status"}</c> and returns the raw reply line and its parsed form.</summary>
    public async Task<(string Raw, ControlReply Reply)> StatusAsync(CancellationToken cancellationToken)
    {
        await SendAsync(new ControlRequest(ControlRequest.Status), cancellationToken);
        string line = await ReadLineAsync(cancellationToken)
            ?? throw CtlException.NotRunning("it closed the control connection without replying");
        return (line, Parse(line, ControlJsonContext.Default.ControlReply));
    }

    /// <summary>Sends <c>{"cmd":"listen"}</c>, checks the acknowledgement and yields each event line as received.</summary>
    public async IAsyncEnumerable<string> ListenAsync(IReadOnlyList<string> kinds, Action? acknowledged, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await SendAsync(new ControlRequest(ControlRequest.Listen, kinds.Count > 0 ? kinds : null), cancellationToken);
        string ack = await ReadLineAsync(cancellationToken)
            ?? throw CtlException.NotRunning("it closed the control connection without replying");
        ControlReply reply = Parse(ack, ControlJsonContext.Default.ControlReply);
        if (!reply.Ok)
        {
            throw CtlException.Failed($"efd-daemon refused listen: {reply.Error ?? "no reason given"}");
        }

        acknowledged?.Invoke();

        while (await ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private async Task SendAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        byte[] line = [.. JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.ControlRequest), (byte)'\n'];
        try
        {
            await _socket.SendAsync(line, SocketFlags.None, cancellationToken);
        }
        catch (SocketException e)
        {
            throw CtlException.NotRunning($"the control connection failed: {e.Message}");
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _reader.ReadLineAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is SocketException)
        {
            throw CtlException.NotRunning($"the control connection failed: {e.InnerException.Message}");
        }
    }

    private static T Parse<T>(string line, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(line, typeInfo)
                ?? throw CtlException.Failed($"unexpected reply from efd-daemon: {line}");
        }
        catch (JsonException e)
        {
            throw CtlException.Failed($"unexpected reply from efd-daemon ({e.Message}): {line}");
        }
    }
}
