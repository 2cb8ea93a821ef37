using System.Buffers.Binary;
using System.Net;
using System.Text;
using EfdDaemon.Tests.Support;

namespace EfdDaemon.Abstractions.Tests;

public sealed class KernelEventTests
{
    private static KernelEvent Make(EventKind kind, byte[] payload) =>
        new(7, kind, 1, 123_456_789, DateTimeOffset.UnixEpoch, payload);

    private static byte[] Payload(EventKind kind, params (string Field, object Value)[] values) =>
        FieldEvents.Payload(BuiltInKinds.Get(kind)!, values);

    [Fact]
    public void EveryTypedViewReadsTheFieldsOfTheBuiltInTable()
    {
        // Each view is written through BuiltInKinds' offsets and read through its own: they must agree.
        Assert.True(Make(EventKind.Attached, Payload(EventKind.Attached, ("pid", 4242), ("fd", 28))).TryGetAttached(out AttachedPayload a));
        Assert.Equal((4242, 28), (a.Pid, a.Fd));

        Assert.True(Make(EventKind.Trigger, Payload(EventKind.Trigger, ("index", 2), ("batch", 5))).TryGetTrigger(out TriggerPayload t));
        Assert.Equal((2u, 5u), (t.Index, t.Batch));

        Assert.True(Make(EventKind.Netdev, Payload(EventKind.Netdev, ("ifname", "dummy0"), ("ifindex", 3), ("event", 1), ("flags", 0x1003), ("netns", 4026531840)))
            .TryGetNetdev(out NetdevPayload n));
        Assert.Equal(("dummy0", 3u, NetdevEvent.Up, 0x1003u, (uint?)4026531840u), (n.InterfaceName.ToString(), n.InterfaceIndex, n.Event, n.Flags, n.NetworkNamespace));

        Assert.True(Make(EventKind.Module, Payload(EventKind.Module, ("name", "efd_lkm_example"), ("state", 2))).TryGetModule(out ModulePayload m));
        Assert.Equal(("efd_lkm_example", ModuleState.Going), (m.Name.ToString(), m.State));

        Assert.True(Make(EventKind.Tick, Payload(EventKind.Tick, ("n", 99))).TryGetTick(out TickPayload tick));
        Assert.Equal(99ul, tick.N);

        Assert.True(Make(EventKind.Input, Payload(EventKind.Input, ("device", "Power Button"), ("type", 1), ("code", 116), ("value", 1))).TryGetInput(out InputPayload i));
        Assert.Equal(("Power Button", InputEventType.Key, (ushort)116, 1, (SystemKey?)SystemKey.Power, (SwitchCode?)null), (i.Device.ToString(), i.Type, i.Code, i.Value, i.Key, i.Switch));

        Assert.True(Make(EventKind.Power, Payload(EventKind.Power, ("name", "BAT0"), ("type", 1), ("online", -1), ("status", 2), ("capacity", 87), ("parent", "PNP0C0A:00")))
            .TryGetPower(out PowerPayload p));
        Assert.Equal(("BAT0", PowerSupplyType.Battery, -1, PowerSupplyStatus.Discharging, 87, "PNP0C0A:00"), (p.Name.ToString(), p.Type, p.Online, p.Status, p.Capacity, p.Parent.ToString()));

        byte[] v6 = IPAddress.Parse("2001:db8::1").GetAddressBytes();
        Assert.True(Make(EventKind.Ifaddr, Payload(EventKind.Ifaddr, ("ifname", "eth0"), ("ifindex", 2), ("event", 2), ("netns", 7), ("family", 10), ("prefixlen", 64), ("addr", v6)))
            .TryGetIfaddr(out IfaddrPayload f));
        Assert.Equal(("eth0", 2u, NetdevEvent.Down, 7u, IfaddrFamily.Inet6, (byte)64, "2001:db8::1"),
            (f.InterfaceName.ToString(), f.InterfaceIndex, f.Event, f.NetworkNamespace, f.Family, f.PrefixLength, f.ToIPAddress().ToString()));

        Assert.True(Make(EventKind.Pm, Payload(EventKind.Pm, ("event", 3))).TryGetPm(out PmPayload pm));
        Assert.Equal(PmEvent.SuspendPrepare, pm.Event);

        Assert.True(Make(EventKind.Cpu, Payload(EventKind.Cpu, ("cpu", 1), ("online", 0))).TryGetCpu(out CpuPayload c));
        Assert.Equal((1u, false), (c.Cpu, c.Online));

        Assert.True(Make(EventKind.KindChange, Payload(EventKind.KindChange, ("kind", 0x10000), ("registered", 1), ("name", "usb.device"))).TryGetKindChange(out KindPayload k));
        Assert.Equal((EventKind.RegisteredFirst, true, "usb.device"), (k.Kind, k.Registered, k.Name.ToString()));
    }

    [Fact]
    public void NetdevFromAModuleWithoutNetnsHasNone()
    {
        byte[] p = Payload(EventKind.Netdev, ("ifname", "lo"))[..28];

        Assert.True(Make(EventKind.Netdev, p).TryGetNetdev(out NetdevPayload n));
        Assert.Null(n.NetworkNamespace);
        Assert.False(Make(EventKind.Netdev, p).TryGetField("netns", out _));
    }

    [Fact]
    public void ANameFillingItsWholeFieldIsReadWhole()
    {
        byte[] p = Payload(EventKind.Netdev, ("ifname", "abcdefghijklmnop"));

        Assert.True(Make(EventKind.Netdev, p).TryGetNetdev(out NetdevPayload n));
        Assert.Equal("abcdefghijklmnop", n.InterfaceName.ToString());
        Assert.True(n.InterfaceName.Equals("abcdefghijklmnop"));
    }

    [Fact]
    public void AViewOfAnotherKindOrOfAShortPayloadIsRefused()
    {
        Assert.False(Make(EventKind.Trigger, new byte[8]).TryGetNetdev(out _));
        Assert.False(Make(EventKind.Module, new byte[10]).TryGetModule(out _));
        Assert.False(Make(EventKind.Power, new byte[71]).TryGetPower(out _));
    }

    [Fact]
    public void FieldsByNameRenderAsEveryOutputShowsThem()
    {
        KernelEvent e = Make(EventKind.Netdev, Payload(EventKind.Netdev, ("ifname", "eth0"), ("ifindex", 2), ("event", 4), ("flags", 0x1003)));

        Assert.Equal("NETDEV", e.KindName);
        Assert.True(e.TryGetField("ifname", out FieldValue name));
        Assert.True(name.AsString().Equals("eth0"));
        Assert.True(e.TryGetField("event", out FieldValue ev));
        Assert.Equal("CHANGE", ev.ToString());
        Assert.True(ev.TryGetUInt64(out ulong raw));
        Assert.Equal(4ul, raw);
        Assert.True(e.TryGetField("flags", out FieldValue flags));
        Assert.Equal("0x1003", flags.ToString());
        Assert.False(e.TryGetField("nosuch", out _));
    }

    [Fact]
    public void SignedValuesAndAddressesRender()
    {
        KernelEvent power = Make(EventKind.Power, Payload(EventKind.Power, ("online", -1), ("status", 9)));
        Assert.True(power.TryGetField("online", out FieldValue online));
        Assert.Equal("-1", online.ToString());
        Assert.True(online.TryGetInt64(out long o));
        Assert.Equal(-1, o);
        Assert.False(online.TryGetUInt64(out _));
        Assert.True(power.TryGetField("status", out FieldValue status));
        Assert.Equal("9", status.ToString()); // a value without a name stays a number

        KernelEvent v4 = Make(EventKind.Ifaddr, Payload(EventKind.Ifaddr, ("family", 2), ("addr", new byte[] { 192, 0, 2, 7 })));
        Assert.True(v4.TryGetField("addr", out FieldValue addr));
        Assert.Equal("192.0.2.7", addr.ToString());
        Assert.Equal(IPAddress.Parse("192.0.2.7"), addr.ToIPAddress());
        Assert.True(v4.TryGetField("family", out FieldValue family));
        Assert.Equal("inet", family.ToString());
    }

    [Fact]
    public void ARegisteredKindsFieldsAreReadByNameThroughItsFormat()
    {
        var format = new EventFormat((EventKind)0x10000, "example.event",
        [
            new EventField("n", EventFieldType.U32, 0, 4), new EventField("text", EventFieldType.Str, 4, 16),
            new EventField("addr", EventFieldType.Ipv4, 20, 4), new EventField("blob", EventFieldType.Bytes, 24, 3),
        ]);
        byte[] p = new byte[27];
        BinaryPrimitives.WriteUInt32LittleEndian(p, 5);
        Encoding.ASCII.GetBytes("efd_lkm_example").CopyTo(p, 4);
        new byte[] { 192, 0, 2, 5 }.CopyTo(p, 20);
        new byte[] { 0xde, 0xad, 0x01 }.CopyTo(p, 24);
        KernelEvent e = Make((EventKind)0x10000, p) with { Format = format };

        Assert.Equal("example.event", e.KindName);
        Assert.Equal("example.event", EventKindNames.GetName(in e));
        Assert.True(e.TryGetField("n", out FieldValue n));
        Assert.Equal("5", n.ToString());
        Assert.True(e.TryGetField("text", out FieldValue text));
        Assert.Equal("efd_lkm_example", text.ToString());
        Assert.True(e.TryGetField("addr", out FieldValue addr));
        Assert.Equal("192.0.2.5", addr.ToString());
        Assert.True(e.TryGetField("blob", out FieldValue blob));
        Assert.Equal("dead01", blob.ToString());
    }

    [Fact]
    public void WithoutAFormatAnEventHasNoFields()
    {
        KernelEvent e = Make((EventKind)0x1000, new byte[8]);

        Assert.Null(e.Format);
        Assert.Equal("USER_0x1000", e.KindName);
        Assert.False(e.TryGetField("payload", out _));
    }

    [Fact]
    public void ReadingTypedViewsAndFieldsAllocatesNothing()
    {
        KernelEvent netdev = Make(EventKind.Netdev, Payload(EventKind.Netdev, ("ifname", "eth0"), ("ifindex", 2), ("event", 1)));
        KernelEvent input = Make(EventKind.Input, Payload(EventKind.Input, ("device", "Lid Switch"), ("type", 5), ("code", 0), ("value", 1)));
        EventField ifindex = netdev.Format!.Fields[1];
        Span<char> text = stackalloc char[256];
        long sum = Work(netdev, input, ifindex, text); // JIT and static initialisation first

        // Per call, not once: the runtime may allocate on this thread once while it tiers the code up.
        var rounds = new List<long>(3);
        for (int round = 0; round < 3 && (rounds.Count == 0 || rounds[^1] != 0); round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                sum += Work(netdev, input, ifindex, text);
            }

            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(rounds[^1] == 0, $"bytes allocated per round of 1000: {string.Join(", ", rounds)}");
        Assert.True(sum > 0);

        static long Work(KernelEvent netdev, KernelEvent input, EventField ifindex, Span<char> text)
        {
            long s = 0;
            if (netdev.TryGetNetdev(out NetdevPayload n) && n.InterfaceName.Equals("eth0") && n.Event == NetdevEvent.Up)
            {
                s += n.InterfaceIndex;
            }

            if (input.TryGetInput(out InputPayload i) && i.Switch == SwitchCode.Lid && i.Device.Equals("Lid Switch"))
            {
                s += i.Value;
            }

            if (netdev.TryGetField("ifname", out FieldValue name) && name.AsString().Equals("eth0")
                && netdev.TryGetField(ifindex, out FieldValue index) && index.TryGetUInt64(out ulong x) && index.TryFormat(text, out int written))
            {
                s += (long)x + written;
            }

            return s;
        }
    }
}
