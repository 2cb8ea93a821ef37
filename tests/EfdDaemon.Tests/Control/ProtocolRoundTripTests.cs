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
        using var sysfs = new TempDirectory();
        Directory.CreateDirectory(sysfs.Combine("kinds", "65536"));
        File.WriteAllText(sysfs.Combine("kinds", "65536", "name"), "example.event\n");
        File.WriteAllText(sysfs.Combine("kinds", "65536", "format"), "n u32 0 4\ntext str 4 16\n");
        File.WriteAllText(sysfs.Combine("kinds", "65536", "registered"), "0\n");
        var kinds = new KindCatalog(sysfs.Path, NullLogger.Instance);
        kinds.Refresh();
        var report = new StatusReport(
            new DaemonInfo("/etc/efd-daemon", TimeProvider.System),
            Options.Create(new DaemonOptions()),
            Options.Create(new ModuleOptions()),
            new LoadedModule(),
            dispatcher,
            source,
            source.Counters,
            plugins,
            kinds);

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
        Assert.Equal(BuiltInKinds.All.Count + 1, read.Kinds!.Count);
        Assert.Equal(["ifname str 0 16", "ifindex u32 16 4", "event u32 20 4", "flags u32 24 4", "netns u32 28 4"], read.Kinds.Single(k => k.Name == "NETDEV").Format);
        KindReport registered = read.Kinds[^1];
        Assert.Equal((65536u, "example.event", false, false), (registered.Id, registered.Name, registered.BuiltIn, registered.Registered));
        Assert.Equal(["n u32 0 4", "text str 4 16"], registered.Format);
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

    /// <summary>A registered kind as efd_lkm_example registers it: a number, a string and an address.</summary>
    private static readonly EventFormat ExampleKind = new(EventKind.RegisteredFirst, "example.event",
    [
        new EventField("n", EventFieldType.U32, 0, 4),
        new EventField("text", EventFieldType.Str, 4, 16),
        new EventField("addr", EventFieldType.Ipv4, 20, 4),
    ]);

    /// <summary>Every built-in kind (payloads laid out by <see cref="BuiltInKinds"/>' offsets), an opaque kind and a registered one.</summary>
    public static TheoryData<uint, byte[], string> EventsOfEveryKind() => new()
    {
        { 0, [], "SIGNAL" },
        { 1, Payload(1, ("pid", 4242), ("fd", 7)), "ATTACHED" },
        { 2, Payload(2, ("index", 2), ("batch", 3)), "TRIGGER" },
        { 3, Payload(3, ("ifname", "dummy0"), ("ifindex", 9), ("event", 1), ("flags", 0x1043), ("netns", 4026531840)), "NETDEV" },
        { 3, Payload(3, ("ifname", "eth1"), ("ifindex", 9), ("event", 8)), "NETDEV" },
        { 3, Payload(3, ("ifname", "a\nb \"c\u00e9\\"), ("event", 2)), "NETDEV" }, // a hostile name: escapes survive the trip
        { 4, Payload(4, ("name", "efd_lkm_example"), ("state", 2)), "MODULE" },
        { 5, Payload(5, ("n", ulong.MaxValue)), "TICK" },
        { 6, Payload(6, ("device", "Power Button"), ("type", 1), ("code", 116), ("value", 1)), "INPUT" },
        { 7, Payload(7, ("name", "BAT0"), ("type", 1), ("online", -1), ("status", 2), ("capacity", 87), ("parent", "PNP0C0A:00")), "POWER" },
        { 8, Payload(8, ("ifname", "eth0"), ("ifindex", 2), ("event", 1), ("family", 2), ("prefixlen", 24), ("addr", new byte[] { 192, 0, 2, 5 })), "IFADDR" },
        { 8, Payload(8, ("ifname", "eth0"), ("ifindex", 2), ("event", 2), ("family", 10), ("prefixlen", 64), ("addr", System.Net.IPAddress.Parse("2001:db8::1").GetAddressBytes())), "IFADDR" },
        { 9, Payload(9, ("event", 3)), "PM" },
        { 10, Payload(10, ("cpu", 3), ("online", 0)), "CPU" },
        { 11, Payload(11, ("kind", 0x10000), ("registered", 1), ("name", "example.event")), "KIND" },
        { 0x1234, [0xde, 0xad, 0x01], "USER_0x1234" },
        { 0x10000, [.. Bytes(5), .. Name("efd_lkm_example", 16), 192, 0, 2, 5], "example.event" },
    };

    [Theory]
    [MemberData(nameof(EventsOfEveryKind))]
    public void EveryListenEventLineReadsBackIntoTheSharedType(uint kind, byte[] payload, string name)
    {
        foreach (bool redelivered in new[] { false, true })
        {
            EventRecord record = Record(kind, payload) with { Redelivered = redelivered };
            string written = WriteEvent(record);
            ListenEvent read = JsonSerializer.Deserialize(written, Strict.ListenEvent)!;

            Assert.Equal(written, Write(read, ControlJsonContext.Default.ListenEvent));
            Assert.Equal(name, read.Kind);
            Assert.Equal(kind, read.KindId);
            Assert.Equal(kind == 0 ? 0UL : 12UL, read.Seq);
            Assert.Equal(Convert.ToBase64String(payload), read.Payload);
            Assert.Equal(redelivered ? true : (bool?)null, read.Redelivered);
            Assert.NotNull(read.Fields);
        }
    }

    [Fact]
    public void FieldsKeepTheirOrderAndNumbersStayNumbers()
    {
        ListenEvent netdev = ReadBack(Record(3, Payload(3, ("ifname", "eth0"), ("ifindex", 2), ("event", 1), ("flags", 0x1003))));
        Assert.Equal(["ifname", "ifindex", "event", "flags", "netns"], netdev.Fields!.Keys);
        Assert.Equal("eth0", netdev.Fields["ifname"].GetString());
        Assert.Equal(2, netdev.Fields["ifindex"].GetInt64());
        Assert.Equal("UP", netdev.Fields["event"].GetString());
        Assert.Equal("0x1003", netdev.Fields["flags"].GetString());

        ListenEvent example = ReadBack(Record(0x10000, [.. Bytes(5), .. Name("efd_lkm_example", 16), 192, 0, 2, 5]));
        Assert.Equal("example.event", example.Kind);
        Assert.Equal(0x10000, example.KindId);
        Assert.Equal(["n", "text", "addr"], example.Fields!.Keys);
        Assert.Equal(JsonValueKind.Number, example.Fields["n"].ValueKind);
        Assert.Equal("efd_lkm_example", example.Fields["text"].GetString());
        Assert.Equal("192.0.2.5", example.Fields["addr"].GetString());

        Assert.Equal(ulong.MaxValue, ReadBack(Record(5, Payload(5, ("n", ulong.MaxValue)))).Fields!["n"].GetUInt64());
        Assert.Equal(-1, ReadBack(Record(7, Payload(7, ("online", -1)))).Fields!["online"].GetInt32());
        Assert.Equal("dead01", ReadBack(Record(0x1234, [0xde, 0xad, 0x01])).Fields!["payload"].GetString());
        Assert.Empty(ReadBack(Record(0, [])).Fields!);
    }

    [Fact]
    public void TheSkippedLineReadsBack()
    {
        string written = Write(new ListenEvent { Skipped = 5 }, ControlJsonContext.Default.ListenEvent);
        Assert.Equal("""{"skipped":5}""", written);
        Assert.Equal(5, JsonSerializer.Deserialize(written, Strict.ListenEvent)!.Skipped);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"skipped":1,"unknown":2}""", Strict.ListenEvent)); // strict really is strict
    }

    [Fact]
    public void AnEventAcpidWouldEmitCarriesItsStringAndNoOtherDoes()
    {
        byte[] press = Payload(6, ("device", "Power Button"), ("type", 1), ("code", 116), ("value", 1));
        byte[] release = Payload(6, ("device", "Power Button"), ("type", 1), ("code", 116), ("value", 0));

        string written = WriteEvent(Record(6, press));

        Assert.EndsWith(""","fields":{"device":"Power Button","type":"KEY","code":"KEY_POWER","value":1},"acpid":"button/power PBTN 00000080 00000000"}""", written, StringComparison.Ordinal);
        Assert.Equal("button/power PBTN 00000080 00000000", ReadBack(Record(6, press)).Acpid);
        Assert.Null(ReadBack(Record(6, release)).Acpid);
        Assert.DoesNotContain("acpid", WriteEvent(Record(6, release)), StringComparison.Ordinal);
    }

    private static string Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    /// <summary>An event as the reader makes it: a SIGNAL of count 3 for kind 0, else record 12 with the kind's format.</summary>
    private static EventRecord Record(uint kind, byte[] payload)
    {
        if (kind == 0)
        {
            return EventRecord.FromSignal(3, DateTimeOffset.UnixEpoch);
        }

        var raw = new EfdLkmRecord { Seq = 12, TsNs = 99, Kind = kind, Len = (ushort)payload.Length };
        payload.CopyTo(MemoryMarshal.AsBytes(new Span<RecordPayload>(ref raw.Data)));
        return EventRecord.FromKernel(in raw, DateTimeOffset.UnixEpoch, kind == (uint)ExampleKind.Kind ? ExampleKind : BuiltInKinds.Get((EventKind)kind));
    }

    private static string WriteEvent(EventRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            EventJson.Write(writer, record, new byte[KernelEvent.MaxPayloadLength]);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static ListenEvent ReadBack(EventRecord record) => JsonSerializer.Deserialize(WriteEvent(record), Strict.ListenEvent)!;

    private static byte[] Payload(uint kind, params (string Field, object Value)[] values) =>
        FieldEvents.Payload(BuiltInKinds.Get((EventKind)kind)!, values);

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
