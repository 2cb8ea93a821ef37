using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using EfdDaemon.Events;
using EfdDaemon.Tests.Support;

namespace EfdDaemon.Tests.Events;

/// <summary>
/// The one renderer across every kind and every output: the log line's details, the journal's
/// EFD_F_* properties, the exec environment and listen's "fields" show the same fields, in the
/// format's order, with the same text.
/// </summary>
public sealed class EventFieldsTests
{
    public static TheoryData<string> EveryKind()
    {
        var data = new TheoryData<string>();
        foreach (EventFormat f in BuiltInKinds.All.Where(f => f.Fields.Count > 0))
        {
            data.Add(f.Name);
        }

        data.Add(FieldEvents.Example.Name);
        data.Add("USER_0x1234");
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void EveryOutputShowsTheSameFieldsInTheSameOrderWithTheSameText(string kind)
    {
        KernelEvent e = Sample(kind);
        IReadOnlyList<string> names = e.Format is { } format ? [.. format.Fields.Select(f => f.Name)] : ["payload"];

        var properties = new List<KeyValuePair<string, object>>();
        List<(string Name, string Value)> line = ParseDetails(EventFields.Describe(in e, properties));
        var environment = new List<string>();
        EventFields.AddEnvironment(in e, environment);
        List<(string Name, string Value)> json = Json(e);

        Assert.Equal(names, line.Select(p => p.Name));
        Assert.Equal(names.Select(n => "F_" + n), properties.Select(p => p.Key));
        Assert.Equal(names.Select(n => "EFD_F_" + n.ToUpperInvariant()), environment.Select(v => v[..v.IndexOf('=', StringComparison.Ordinal)]));
        Assert.Equal(names, json.Select(p => p.Name));
        List<string> values = [.. line.Select(p => p.Value)];
        Assert.Equal(values, properties.Select(p => (string)p.Value));
        Assert.Equal(values, environment.Select(v => v[(v.IndexOf('=', StringComparison.Ordinal) + 1)..]));
        Assert.Equal(values, json.Select(p => p.Value));
        Assert.All(values, v => Assert.False(string.IsNullOrEmpty(v)));
    }

    [Fact]
    public void InputCodesRenderAsTheKernelNamesKeysAndSwitches()
    {
        Assert.Equal("device=\"Power Button\" type=KEY code=KEY_POWER value=1",
            EventFields.Describe(FieldEvents.Of(EventKind.Input, ("device", "Power Button"), ("type", 1), ("code", 116), ("value", 1))));
        Assert.Equal("device=\"Lid Switch\" type=SW code=SW_LID value=0",
            EventFields.Describe(FieldEvents.Of(EventKind.Input, ("device", "Lid Switch"), ("type", 5), ("code", 0), ("value", 0))));
        EventField code = BuiltInKinds.Get(EventKind.Input)!.Fields.Single(f => f.Name == "code");
        Assert.All(Enum.GetValues<SystemKey>(), k => Assert.StartsWith("KEY_", code.NameOf((ushort)k), StringComparison.Ordinal));
        Assert.All(Enum.GetValues<SwitchCode>(), c => Assert.StartsWith("SW_", code.NameOf((ushort)c), StringComparison.Ordinal));
    }

    [Fact]
    public void ValuesRenderByTheirTypeAndTheKernelsNames()
    {
        Assert.Equal("ifname=eth0 ifindex=2 event=UP flags=0x1003 netns=4026531840",
            EventFields.Describe(FieldEvents.Of(EventKind.Netdev, ("ifname", "eth0"), ("ifindex", 2), ("event", 1), ("flags", 0x1003), ("netns", 4026531840))));
        Assert.Equal("ifname=eth0 ifindex=2 event=DOWN netns=1 family=inet6 prefixlen=64 addr=2001:db8::1",
            EventFields.Describe(FieldEvents.Of(EventKind.Ifaddr, ("ifname", "eth0"), ("ifindex", 2), ("event", 2), ("netns", 1), ("family", 10), ("prefixlen", 64),
                ("addr", IPAddress.Parse("2001:db8::1")))));
        Assert.Equal("event=POST_SUSPEND", EventFields.Describe(FieldEvents.Of(EventKind.Pm, ("event", 4))));
        Assert.Equal("event=77", EventFields.Describe(FieldEvents.Of(EventKind.Pm, ("event", 77)))); // a value the kernel adds later: its number
        Assert.Equal("name=\"a b\\\"c\\x0a\" state=LIVE", EventFields.Describe(FieldEvents.Of(EventKind.Module, ("name", "a b\"c\n"), ("state", 0))));
        Assert.Equal("count=3", EventFields.Describe(new KernelEvent(0, EventKind.Signal, 3, 0, default, ReadOnlyMemory<byte>.Empty)));
    }

    [Fact]
    public void AFieldPastTheRecordsLengthIsLeftOutNotShownAsZero()
    {
        byte[] payload = FieldEvents.Payload(BuiltInKinds.Get(EventKind.Netdev)!, ("ifname", "lo"), ("netns", 9));

        Assert.Equal("ifname=lo ifindex=0 event=0 flags=0x0", EventFields.Describe(new KernelEvent(1, EventKind.Netdev, 1, 0, default, payload.AsMemory(0, 28))));
    }

    private static KernelEvent Sample(string kind)
    {
        if (kind == "USER_0x1234")
        {
            return new KernelEvent(3, (EventKind)0x1234, 1, 0, default, new byte[] { 0xde, 0xad, 0x01 });
        }

        EventFormat format = BuiltInKinds.TryGet(kind, out EventFormat? builtIn) ? builtIn : FieldEvents.Example;
        var values = new List<(string, object)>();
        int i = 1;
        foreach (EventField f in format.Fields)
        {
            values.Add((f.Name, f.Type switch
            {
                EventFieldType.Str => "v_" + f.Name,
                EventFieldType.Ipv4 => IPAddress.Parse("192.0.2.7"),
                EventFieldType.Bytes when f.Display == EventFieldDisplay.Address => new byte[16] { 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
                EventFieldType.Bytes => Enumerable.Repeat((byte)0xab, f.Size).ToArray(),
                EventFieldType.Ipv6 => IPAddress.Parse("2001:db8::2"),
                _ when f.Name == "family" => 10,
                _ => i++,
            }));
        }

        return FieldEvents.Of(format, [.. values]);
    }

    /// <summary>The details as <c>name=value</c> pairs; a quoted value (none in the samples) would fail the comparison.</summary>
    private static List<(string, string)> ParseDetails(string details) =>
        [.. details.Split(' ').Select(p => (p[..p.IndexOf('=', StringComparison.Ordinal)], p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]))];

    private static List<(string, string)> Json(KernelEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            EventFields.WriteJson(w, in e);
            w.WriteEndObject();
        }

        using JsonDocument doc = JsonDocument.Parse(Encoding.UTF8.GetString(buffer.WrittenSpan));
        return [.. doc.RootElement.GetProperty("fields").EnumerateObject()
            .Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetRawText() : p.Value.GetString()!))];
    }
}
