using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EfdDaemon.Control;
using EfdDaemon.Events;
using EfdDaemon.Kernel;
using EfdDaemon.Plugins;
using EfdDaemon.Protocol;
using EfdDaemon.Sysfs;
using EfdDaemon.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Tests.Control;

/// <summary>
/// Every control message the daemon writes is read back through the one ControlJsonContext that
/// efdctl uses, with unknown members refused: a field written on one side and missing on the other fails here.
/// </summary>
public sealed class ProtocolRoundTripTests
{
    private static readonly ControlJsonContext Strict = new(new JsonSerializerOptions(ControlJsonContext.Default.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    });

    [Fact]
    public void TheStatusReplyReadsBackWithEveryFieldItWrote()
    {
        using var source = new EventfdSource(EventfdMode.Counter, TimeProvider.System, NullLogger.Instance);
        using var dispatcher = new EventDispatcher(
            [new NoOpHandler("LogHandler"), new NoOpHandler("Every")],
            TimeProvider.System,
            NullLogger.Instance,
            new Dictionary<string, HandlerOptions> { ["LogHandler"] = new() { Kinds = ["TRIGGER", "NETDEV"] } });
        var plugins = new PluginStatusRegistry();
        plugins.Add("RateAlert", "/usr/lib/efd-daemon/plugins/RateAlert", "Loaded", null);
        plugins.Add("Sneaky", "/usr/local/lib/efd-daemon/plugins/Sneaky", "Refused", "directory is group-writable");
        var report = new StatusReport(
            new DaemonInfo("/etc/efd-daemon", TimeProvider.System),
            Options.Create(new DaemonOptions()),
            Options.Create(new ModuleOptions()),
            new LoadedModule(),
            dispatcher,
            source,
            source.Counters,
            plugins);

        string written = Write(report.Build(), ControlJsonContext.Default.ControlReply);
        ControlReply read = JsonSerializer.Deserialize(written, Strict.ControlReply)!;

        Assert.Equal(written, Write(read, ControlJsonContext.Default.ControlReply));
        Assert.True(read.Ok);
        Assert.Equal(Environment.ProcessId, read.Daemon!.Pid);
        Assert.Equal(4242, read.Module!.AttachedPid);
        Assert.Equal(["TRIGGER", "NETDEV"], read.Handlers![0].Kinds!);
        Assert.Contains("\"kinds\":null", written, StringComparison.Ordinal); // every kind, as the contract says
        Assert.Contains("\"reason\":null", written, StringComparison.Ordinal);
        Assert.Equal("directory is group-writable", read.Plugins![1].Reason);
    }

    [Fact]
    public void TheListenAcknowledgementAndErrorsReadBack()
    {
        foreach (ControlReply reply in new[] { new ControlReply { Ok = true, Listening = true }, ControlReply.Failure("unknown kind 'X'") })
        {
            string written = Write(reply, ControlJsonContext.Default.ControlReply);
            Assert.Equal(reply, JsonSerializer.Deserialize(written, Strict.ControlReply));
        }

        Assert.Equal("""{"ok":true,"listening":true}""", Write(new ControlReply { Ok = true, Listening = true }, ControlJsonContext.Default.ControlReply));
    }

    [Fact]
    public void RequestsReadBackAndKindsMayBeNumbers()
    {
        string written = Write(new ControlRequest(ControlRequest.Listen, ["NETDEV", "USER_0x1234"]), ControlJsonContext.Default.ControlRequest);
        ControlRequest read = JsonSerializer.Deserialize(written, Strict.ControlRequest)!;
        Assert.Equal(ControlRequest.Listen, read.Cmd);
        Assert.Equal(["NETDEV", "USER_0x1234"], read.Kinds!);
        Assert.Equal("""{"cmd":"status"}""", Write(new ControlRequest(ControlRequest.Status), ControlJsonContext.Default.ControlRequest));

        ControlRequest numeric = JsonSerializer.Deserialize("""{"cmd":"listen","kinds":["TRIGGER",3]}""", Strict.ControlRequest)!;
        Assert.Equal(["TRIGGER", "3"], numeric.Kinds!);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"cmd":"listen","kinds":[true]}""", Strict.ControlRequest));
    }

    public static TheoryData<uint, byte[], string> EventsOfEveryKind() => new()
    {
        { 1, Bytes(4242, 7), "ATTACHED" },
        { 2, Bytes(2, 3), "TRIGGER" },
        { 3, [.. Name("dummy0", 16), .. Bytes(9, 1, 0x1043)], "NETDEV" },
        { 3, [.. Name("eth1", 16), .. Bytes(9, 8, 0)], "NETDEV" },
        { 4, [.. Name("efd_lkm_example", 56), .. Bytes(2)], "MODULE" },
        { 5, Bytes(41, 0), "TICK" },
        { 0x1234, [0xde, 0xad, 0x01], "USER_0x1234" },
    };

    [Theory]
    [MemberData(nameof(EventsOfEveryKind))]
    public void EveryListenEventLineReadsBackIntoTheSharedType(uint kind, byte[] payload, string name)
    {
        var raw = new EfdLkmRecord { Seq = 12, TsNs = 99, Kind = kind, Len = (ushort)payload.Length };
        payload.CopyTo(MemoryMarshal.AsBytes(new Span<RecordPayload>(ref raw.Data)));
        EventRecord record = EventRecord.FromKernel(in raw, DateTimeOffset.UnixEpoch, BuiltInKinds.Get((EventKind)kind));

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            EventJson.Write(writer, record, new byte[KernelEvent.MaxPayloadLength]);
        }

        string written = Encoding.UTF8.GetString(buffer.WrittenSpan);
        ListenEvent read = JsonSerializer.Deserialize(written, Strict.ListenEvent)!;
        Assert.Equal(written, Write(read, ControlJsonContext.Default.ListenEvent));
        Assert.Equal(name, read.Kind);
        Assert.Equal(12UL, read.Seq);
        Assert.Equal(Convert.ToBase64String(payload), read.Payload);
    }

    [Fact]
    public void TheSkippedLineReadsBack()
    {
        string written = Write(new ListenEvent { Skipped = 5 }, ControlJsonContext.Default.ListenEvent);
        Assert.Equal("""{"skipped":5}""", written);
        Assert.Equal(5, JsonSerializer.Deserialize(written, Strict.ListenEvent)!.Skipped);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"skipped":1,"unknown":2}""", Strict.ListenEvent)); // strict really is strict
    }

    private static string Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    private static byte[] Bytes(params uint[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static byte[] Name(string name, int size)
    {
        byte[] bytes = new byte[size];
        Encoding.ASCII.GetBytes(name).CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>A module attached to pid 4242 with every figure known.</summary>
    private sealed class LoadedModule : IKernelModuleLoader
    {
        public ModuleFigures Attach(int pid, int eventFd) => throw new NotSupportedException();

        public ModuleFigures? ReadFigures() => new("/sys/kernel/efd_lkm", true, 4242, 5, 10, 10, 0, 8192, 1);
    }
}
