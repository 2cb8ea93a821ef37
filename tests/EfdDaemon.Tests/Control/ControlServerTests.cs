using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EfdDaemon.Control;
using EfdDaemon.Hosting;
using EfdDaemon.Plugins;
using EfdDaemon.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Tests.Control;

public sealed class ControlServerTests
{
    [Fact]
    public async Task StatusReportsDaemonHandlersCountersAndPluginsAsCoordDescribes()
    {
        var recorder = new RecordingHandler();
        await using var daemon = new InProcessDaemon(b =>
        {
            InProcessDaemon.WithHandlers(recorder)(b);
            b.Services.GetPluginStatusRegistry().Add("Sample", "/usr/lib/efd-daemon/plugins/Sample", "Refused", "group-writable");
        });
        await daemon.StartAsync();
        daemon.Source.Signal(2);
        await recorder.WaitForAsync(1);

        using var client = await ConnectAsync(daemon);
        await client.SendAsync("{\"cmd\":\"status\"}");
        using JsonDocument reply = JsonDocument.Parse(await client.ReadLineAsync());
        JsonElement root = reply.RootElement;

        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(Environment.ProcessId, root.GetProperty("daemon").GetProperty("pid").GetInt32());
        Assert.Equal("Counter", root.GetProperty("daemon").GetProperty("eventfdMode").GetString());
        Assert.False(root.GetProperty("module").GetProperty("enabled").GetBoolean());
        Assert.Equal(1, root.GetProperty("counters").GetProperty("received").GetInt64());
        JsonElement handler = root.GetProperty("handlers").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "Recorder");
        Assert.Equal(1, handler.GetProperty("handled").GetInt64());
        Assert.Equal("Lossless", handler.GetProperty("policy").GetString());
        Assert.Equal("Normal", handler.GetProperty("state").GetString());
        Assert.Equal("Lossless", handler.GetProperty("effectivePolicy").GetString());
        Assert.Equal("00:00:05", handler.GetProperty("timeout").GetString());
        Assert.Equal("00:00:10", handler.GetProperty("maxStall").GetString());
        Assert.Equal(0, handler.GetProperty("losses").GetProperty("policy").GetInt64());
        JsonElement losses = root.GetProperty("counters").GetProperty("losses");
        Assert.Equal(["kernel", "inflight", "policy", "timeout", "quarantine", "demotion", "listener"], losses.EnumerateObject().Select(p => p.Name));
        Assert.All(losses.EnumerateObject(), p => Assert.Equal(0, p.Value.GetInt64()));
        JsonElement plugin = root.GetProperty("plugins").EnumerateArray().Single();
        Assert.Equal("Refused", plugin.GetProperty("state").GetString());
        Assert.Equal("group-writable", plugin.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ListenStreamsEventsOfTheRequestedKindsAfterTheAcknowledgement()
    {
        var recorder = new RecordingHandler();
        await using var daemon = new InProcessDaemon(InProcessDaemon.WithHandlers(recorder), "--Daemon:EventfdMode=Semaphore");
        await daemon.StartAsync();
        using var client = await ConnectAsync(daemon);
        await client.SendAsync("{\"cmd\":\"listen\",\"kinds\":[\"SIGNAL\"]}");
        Assert.Equal("{\"ok\":true,\"listening\":true}", await client.ReadLineAsync());

        daemon.Source.Signal();
        using JsonDocument line = JsonDocument.Parse(await client.ReadLineAsync());

        Assert.Equal("SIGNAL", line.RootElement.GetProperty("kind").GetString());
        Assert.Equal(0, line.RootElement.GetProperty("kindId").GetInt32());
        Assert.Equal(1UL, line.RootElement.GetProperty("count").GetUInt64());
        Assert.Equal(string.Empty, line.RootElement.GetProperty("payload").GetString());
    }

    /// <summary>The kinds as efdctl listen --kind sends them: a built-in name, a registered name, a registered number's canonical name.</summary>
    [Fact]
    public async Task ListenTakesRegisteredKindsByNameOrNumberAndWritesTheirFields()
    {
        var example = new EventFormat(EventKind.RegisteredFirst, "example.event", [new EventField("n", EventFieldType.U32, 0, 4)]);
        var other = new EventFormat(EventKind.RegisteredFirst + 1, "other.kind", []);
        await using var daemon = new InProcessDaemon(configure: null, "--Handlers:LogHandler:Enabled=false");
        await daemon.StartAsync();
        using var client = await ConnectAsync(daemon);
        await client.SendAsync("""{"cmd":"listen","kinds":["NETDEV","example.event","REGISTERED_0x10001"]}""");
        Assert.Equal("""{"ok":true,"listening":true}""", await client.ReadLineAsync());

        var record = new EfdDaemon.Events.EventRecord { Sequence = 1, Kind = EventKind.Trigger, Format = BuiltInKinds.Get(EventKind.Trigger), Count = 1 };
        daemon.Dispatcher.Publish(in record);
        record = new EfdDaemon.Events.EventRecord { Sequence = 2, Kind = example.Kind, Format = example, Count = 1, PayloadLength = 4 };
        BitConverter.TryWriteBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(new Span<EfdDaemon.Kernel.RecordPayload>(ref record.Payload)), 5U);
        daemon.Dispatcher.Publish(in record);
        record = new EfdDaemon.Events.EventRecord { Sequence = 3, Kind = other.Kind, Format = other, Count = 1 };
        daemon.Dispatcher.Publish(in record);
        record = new EfdDaemon.Events.EventRecord { Sequence = 4, Kind = EventKind.Netdev, Format = BuiltInKinds.Get(EventKind.Netdev), Count = 1 };
        daemon.Dispatcher.Publish(in record);
        daemon.Dispatcher.EndOfBatch();

        var lines = new List<EfdDaemon.Protocol.ListenEvent>();
        for (int i = 0; i < 3; i++)
        {
            lines.Add(JsonSerializer.Deserialize(await client.ReadLineAsync(), EfdDaemon.Protocol.ControlJsonContext.Default.ListenEvent)!);
        }

        Assert.Equal([("example.event", 0x10000L), ("other.kind", 0x10001L), ("NETDEV", 3L)], lines.Select(e => (e.Kind!, e.KindId!.Value)));
        Assert.Equal(5, lines[0].Fields!["n"].GetInt32());
        Assert.Empty(lines[1].Fields!);
    }

    [Fact]
    public async Task UnknownCommandsAndBadJsonGetAnErrorLineAndTheConnectionStaysUsable()
    {
        await using var daemon = new InProcessDaemon();
        await daemon.StartAsync();
        using var client = await ConnectAsync(daemon);

        await client.SendAsync("{\"cmd\":\"reboot\"}");
        Assert.Equal("{\"ok\":false,\"error\":\"unknown command \\u0027reboot\\u0027\"}", await client.ReadLineAsync());
        await client.SendAsync("not json");
        Assert.Contains("invalid JSON", await client.ReadLineAsync(), StringComparison.Ordinal);
        await client.SendAsync("{\"cmd\":\"status\"}");
        Assert.StartsWith("{\"ok\":true", await client.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSocketIsOwnerOnlyAndRemovedOnStop()
    {
        await using var daemon = new InProcessDaemon();
        await daemon.StartAsync();
        string path = Path.Combine(daemon.RunDirectory, EfdDaemon.RunFiles.RunDirectory.ControlSocketFile);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        await daemon.StopAsync();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task AListenerThatDoesNotReadIsToldHowManyEventsItMissedAndNothingElseWaits()
    {
        const int Published = 20_000;
        await using var daemon = new InProcessDaemon(configure: null, "--Handlers:LogHandler:Enabled=false");
        await daemon.StartAsync();
        using var client = await ConnectAsync(daemon);
        await client.SendAsync("{\"cmd\":\"listen\"}");
        Assert.Equal("{\"ok\":true,\"listening\":true}", await client.ReadLineAsync());

        // The client reads nothing while 20 000 events pass: its socket buffer and its 1024-event
        // buffer fill, the rest is skipped, and Publish (the reader's call) never waits.
        var record = new EfdDaemon.Events.EventRecord { Kind = EventKind.Trigger, Count = 1 };
        for (ulong i = 1; i <= Published; i++)
        {
            record.Sequence = i;
            daemon.Dispatcher.Publish(in record);
        }

        daemon.Dispatcher.EndOfBatch();

        long events = 0, skipped = 0;
        while (events + skipped < Published)
        {
            using JsonDocument line = JsonDocument.Parse(await client.ReadLineAsync());
            if (line.RootElement.TryGetProperty("skipped", out JsonElement n))
            {
                skipped += n.GetInt64();
            }
            else
            {
                events++;
            }
        }

        Assert.Equal(Published, events + skipped);
        Assert.True(skipped > 0, "nothing was skipped");
    }

    [Fact]
    public void ASlowListenerSkipsAndCountsInsteadOfBlockingTheReader()
    {
        var client = new ListenClient(EfdDaemon.Events.KindFilter.All);
        var record = new EfdDaemon.Events.EventRecord { Kind = EventKind.Trigger };
        for (int i = 0; i < ListenClient.Capacity + 10; i++)
        {
            client.Offer(in record);
        }

        Assert.Equal(10, client.TakeSkipped());
        Assert.Equal(0, client.TakeSkipped());
    }

    private static async Task<LineClient> ConnectAsync(InProcessDaemon daemon)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(daemon.RunDirectory, EfdDaemon.RunFiles.RunDirectory.ControlSocketFile)));
        return new LineClient(socket);
    }
}

/// <summary>An NDJSON client over a connected socket.</summary>
internal sealed class LineClient(Socket socket) : IDisposable
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private StreamReader? _reader;

    public async Task SendAsync(string line) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task<string> ReadLineAsync()
    {
        _reader ??= new StreamReader(_stream);
        return await _reader.ReadLineAsync().WaitAsync(TestTimeouts.Bound) ?? throw new EndOfStreamException();
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _stream.Dispose();
    }
}
