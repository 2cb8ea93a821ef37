using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace EfdCtl.Tests.Fakes;

/// <summary>
/// A stand-in for efd-daemon's control socket speaking src/EfdDaemon/INTERFACES.md's NDJSON protocol: run files naming
/// this test process (alive), <c>control.sock</c>, canned status replies and a listen stream the
/// test feeds line by line.
/// </summary>
internal sealed class FakeDaemon : IAsyncDisposable
{
    private readonly Socket _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly Channel<string> _requests = Channel.CreateUnbounded<string>();
    private readonly List<Socket> _held = [];
    private readonly TaskCompletionSource<Socket> _listener = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeDaemon(TempDirectory directory, int? eventFd = 5)
    {
        Directory = directory;
        directory.WriteRunFiles(Environment.ProcessId, eventFd);
        _server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _server.Bind(new UnixDomainSocketEndPoint(directory.Combine("control.sock")));
        _server.Listen();
        _acceptLoop = AcceptLoopAsync();
    }

    public TempDirectory Directory { get; }

    public string RunDirectory => Directory.Path;

    /// <summary>The raw line sent for <c>{"cmd":"status"}</c>; null: never reply.</summary>
    public string? ControlReply { get; set; } = SampleStatus;

    /// <summary>The acknowledgement sent for <c>{"cmd":"listen"}</c>.</summary>
    public string ListenAck { get; set; } = """{"ok":true,"listening":true}""";

    public ChannelReader<string> Requests => _requests.Reader;

    /// <summary>Completes when a listen client has been acknowledged.</summary>
    public Task<Socket> ListenerConnected => _listener.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public async Task SendToListenerAsync(params string[] lines)
    {
        Socket client = await ListenerConnected;
        await client.SendAsync(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))), SocketFlags.None);
    }

    /// <summary>Closes the listen connection, as a stopping daemon does.</summary>
    public async Task CloseListenerAsync()
    {
        Socket client = await ListenerConnected;
        client.Shutdown(SocketShutdown.Both);
        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Dispose();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        lock (_held)
        {
            _held.ForEach(s => s.Dispose());
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client = await _server.AcceptAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var stream = new NetworkStream(client, ownsSocket: false);
        using var reader = new StreamReader(stream);
        string? request = await reader.ReadLineAsync(_stop.Token);
        if (request is null)
        {
            client.Dispose();
            return;
        }

        await _requests.Writer.WriteAsync(request);
        if (request.Contains("\"listen\"", StringComparison.Ordinal))
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(ListenAck + "\n"), SocketFlags.None);
            _listener.TrySetResult(client);
            return; // the test drives the stream and closes it
        }

        if (request.Contains("\"status\"", StringComparison.Ordinal) && ControlReply is { } reply)
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(reply + "\n"), SocketFlags.None);
        }
        else if (ControlReply is null)
        {
            lock (_held)
            {
                _held.Add(client); // hold the connection open without replying
            }

            return;
        }
        else
        {
            await client.SendAsync(Encoding.UTF8.GetBytes("""{"ok":false,"error":"unknown command"}""" + "\n"), SocketFlags.None);
        }

        client.Dispose();
    }

    public static readonly string SampleStatus = """
        {"ok":true,"daemon":{"pid":4242,"version":"0.1.0","startedAt":"2026-11-25T17:00:00+00:00","eventfdMode":"Counter","configDir":"/etc/efd-daemon"},
        "module":{"enabled":true,"loaded":false,"attachedPid":null,"attachedFd":null,"attachedToUs":false,"events":null,"signals":null,"dropped":null,"ringSize":null,"abiVersion":null},
        "counters":{"received":12,"dispatched":11,"dropped":1,"kernelDropped":0,"sequenceGaps":0},
        "handlers":[{"name":"LogHandler","kinds":["TRIGGER","NETDEV"],"queueCapacity":1024,"queueLength":3,"policy":"DropOldest","timeout":"00:00:05","handled":11,"failures":2,"timeouts":1,"dropped":1},
                    {"name":"ExecHandler","kinds":null,"queueCapacity":64,"queueLength":0,"policy":"DropNewest","timeout":"00:00:10","handled":0,"failures":0,"timeouts":0,"dropped":0}],
        "plugins":[{"name":"RateAlert","path":"/usr/lib/efd-daemon/plugins/RateAlert/RateAlert.dll","state":"Loaded","reason":null},
                   {"name":"Sneaky","path":"/usr/local/lib/efd-daemon/plugins/Sneaky/Sneaky.dll","state":"Refused","reason":"directory is group-writable"}]}
        """.ReplaceLineEndings("");
}
