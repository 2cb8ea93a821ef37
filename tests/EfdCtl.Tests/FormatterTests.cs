using System.Text.Json;
using EfdDaemon.Protocol;
using EfdCtl.Output;
using EfdCtl.RunFiles;
using EfdDaemon.Sysfs;
using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

public sealed class FormatterTests
{
    private static readonly DaemonRunFiles Run = new("/run/efd-daemon", 4242, 5);
    private static readonly ModuleFigures NoModule = new("/sys/kernel/efd_lkm", false, null, null, null, null, null, null, null);

    private static ControlReply Sample() => JsonSerializer.Deserialize(FakeDaemon.SampleStatus, ControlJsonContext.Default.ControlReply)!;

    private static string Event(string json) =>
        EventFormatter.Format(JsonSerializer.Deserialize(json, ControlJsonContext.Default.ListenEvent)!);

    [Fact]
    public void StatusShowsTheDaemonHandlersPluginsAndCounters()
    {
        string text = StatusFormatter.Format(Run, NoModule, Sample());
        string[] lines = text.Split('\n');
        Assert.Equal("efd-daemon 0.1.0 (pid 4242) running since 2026-11-25T17:00:00+00:00", lines[0]);
        Assert.Contains("eventfd 5 (Counter mode), config /etc/efd-daemon, run directory /run/efd-daemon", lines[1], StringComparison.Ordinal);
        Assert.Contains("module: not loaded (no /sys/kernel/efd_lkm)", text, StringComparison.Ordinal);
        Assert.Contains("events: received 12, dispatched 11, dropped 1, kernel dropped 0, sequence gaps 0", text, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("HANDLER ", StringComparison.Ordinal) && l.Contains("QUEUE", StringComparison.Ordinal) && l.Contains("TIMEOUTS", StringComparison.Ordinal));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^LogHandler\s+TRIGGER,NETDEV\s+3/1024\s+11\s+2\s+1\s+1\s+DropOldest$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^ExecHandler\s+all\s+0/64\s+0\s+0\s+0\s+0\s+DropNewest$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^RateAlert\s+Loaded$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Sneaky\s+Refused\s+directory is group-writable$"));
    }

    [Fact]
    public void StatusShowsLossesByHopAndThePolicyInForceOfADemotedOrQuarantinedHandler()
    {
        ControlReply reply = Sample() with
        {
            Counters = new CounterReport(30, 29, 4, 0, 2, 5, 30, new LossReport(2, 0, 1, 1, 0, 3, 7)),
            Handlers =
            [
                new HandlerReport("Slow", null, true, 2, 2, "Lossless", "00:00:05", 9, 0, 0, 3, "Demoted", "DropOldest", "00:00:10", 1, new LossReport(Demotion: 3)),
                new HandlerReport("Hung", null, true, 2, 0, "Lossless", "00:00:01", 1, 0, 1, 0, "Quarantined", "DropOldest", "00:00:10", 0, new LossReport(Timeout: 1)),
                new HandlerReport("Gauge", null, true, 1024, 0, "Lossless", "00:00:05", 7, 0, 0, 0, "Normal", "Lossless", "00:00:10", 0, new LossReport(), "reader", "00:00:00.0000200"),
            ],
        };
        string text = StatusFormatter.Format(Run, NoModule, reply);
        string[] lines = text.Split('\n');

        Assert.Contains("events: received 30, dispatched 29, dropped 4, kernel dropped 0, sequence gaps 2, redelivered 5", text, StringComparison.Ordinal);
        Assert.Contains("losses: kernel 2, in flight 0, policy 1, timeout 1, quarantine 0, demotion 3, listener 7", text, StringComparison.Ordinal);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Slow\s+all\s+2/2\s+9\s+0\s+0\s+3\s+DropOldest \(demoted from Lossless\)$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Hung\s+all\s+0/2\s+1\s+0\s+1\s+0\s+DropOldest \(quarantined: ignores cancellation\)$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Gauge\s+all\s+inline\s+7\s+0\s+0\s+0\s+Lossless$"));
    }

    [Fact]
    public void StatusListsRegisteredKindsButNotTheBuiltInOnes()
    {
        ControlReply reply = Sample() with
        {
            Kinds =
            [
                new KindReport(3, "NETDEV", true, true, ["ifname str 0 16"]),
                new KindReport(65536, "example.event", false, false, ["n u32 0 4", "text str 4 16"]),
                new KindReport(65537, "example.event", false, true, ["n u32 0 4", "text str 4 16"]),
            ],
        };

        string[] lines = StatusFormatter.Format(Run, NoModule, reply).Split('\n');

        Assert.DoesNotContain(lines, l => l.StartsWith("NETDEV", StringComparison.Ordinal));
        Assert.Matches(@"^KIND +NUMBER +REGISTERED +FIELDS$", lines.Single(l => l.StartsWith("KIND ", StringComparison.Ordinal)));
        Assert.Matches(@"^example\.event +65536 +no \(owner unloaded\) +n u32, text str$", lines.Single(l => l.Contains("65536", StringComparison.Ordinal)));
        Assert.Matches(@"^example\.event +65537 +yes +n u32, text str$", lines.Single(l => l.Contains("65537", StringComparison.Ordinal)));
    }

    [Fact]
    public void StatusSaysWhomTheModuleIsAttachedTo()
    {
        ModuleFigures ours = new("/sys/kernel/efd_lkm", true, 4242, 5, 10, 10, 0, 1024, 1);
        string text = StatusFormatter.Format(Run, ours, Sample());
        Assert.Contains("module: attached to this daemon (pid 4242, fd 5)", text, StringComparison.Ordinal);
        Assert.Contains("  events 10, signals 10, dropped 0, ring size 1024, ABI 1", text, StringComparison.Ordinal);

        Assert.Contains("module: attached to another process (pid 77, fd 3), not to this daemon",
            StatusFormatter.Format(Run, ours with { AttachedPid = 77, AttachedFd = 3 }, Sample()), StringComparison.Ordinal);
        Assert.Contains("module: loaded, not attached",
            StatusFormatter.Format(Run, ours with { AttachedPid = -1, AttachedFd = -1 }, Sample()), StringComparison.Ordinal);
    }

    [Fact]
    public void StatusSaysWhenTheModuleIsSwitchedOffInConfiguration()
    {
        ControlReply sample = Sample();
        ControlReply reply = sample with { Module = sample.Module! with { Enabled = false } };
        Assert.Contains("module: not used (Module:Enabled=false)", StatusFormatter.Format(Run, NoModule, reply), StringComparison.Ordinal);
    }

    [Fact]
    public void StatusMarksADisabledHandler()
    {
        ControlReply sample = Sample();
        ControlReply reply = sample with { Handlers = [sample.Handlers![0], sample.Handlers[1] with { Enabled = false }] };
        Assert.Matches(@"\nExecHandler \(disabled\)\s+all\s", StatusFormatter.Format(Run, NoModule, reply));
    }

    [Fact]
    public void StatusSaysNoneForAHandlerThatWantsNoKinds()
    {
        ControlReply sample = Sample();
        ControlReply reply = sample with { Handlers = [sample.Handlers![0], sample.Handlers[1] with { Kinds = [] }] };
        Assert.Matches(@"\nExecHandler\s+none\s", StatusFormatter.Format(Run, NoModule, reply));
    }

    [Fact]
    public void StatusSurvivesAMinimalReply()
    {
        string text = StatusFormatter.Format(Run, NoModule, new ControlReply { Ok = true });
        Assert.Contains("efd-daemon ? (pid 4242) running", text, StringComparison.Ordinal);
        Assert.Contains("handlers: none", text, StringComparison.Ordinal);
        Assert.Contains("plugins: none", text, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusJsonCombinesRunFilesSysfsAndTheDaemonsReplyVerbatim()
    {
        ModuleFigures ours = new("/sys/kernel/efd_lkm", true, 4242, 5, 10, 9, 0, 1024, 1);
        using JsonDocument doc = JsonDocument.Parse(StatusJsonWriter.Write(Run, ours, FakeDaemon.SampleStatus));
        JsonElement root = doc.RootElement;
        Assert.Equal(4242, root.GetProperty("runFiles").GetProperty("pid").GetInt32());
        Assert.Equal(5, root.GetProperty("runFiles").GetProperty("efd").GetInt32());
        Assert.Equal("/run/efd-daemon/control.sock", root.GetProperty("runFiles").GetProperty("socket").GetString());
        Assert.True(root.GetProperty("sysfs").GetProperty("present").GetBoolean());
        Assert.True(root.GetProperty("sysfs").GetProperty("attachedToDaemon").GetBoolean());
        Assert.Equal(9, root.GetProperty("sysfs").GetProperty("signals").GetInt64());
        Assert.Equal("LogHandler", root.GetProperty("daemon").GetProperty("handlers")[0].GetProperty("name").GetString());
        Assert.Equal("group-writable", root.GetProperty("daemon").GetProperty("plugins")[1].GetProperty("reason").GetString()!.Split(' ')[^1]);
    }

    /// <summary>Lines as the daemon writes them (Control/EventJson.cs; ProtocolRoundTripTests reads its real output back), one per kind.</summary>
    public static TheoryData<string, string> EventsOfEveryKind() => new()
    {
        { Line(0, "SIGNAL", 0, """{}""", count: 3, payload: ""), "SIGNAL seq=0 count=3" },
        { Line(1, "ATTACHED", 1, """{"pid":4242,"fd":7}"""), "ATTACHED seq=1 pid=4242 fd=7" },
        { Line(12, "TRIGGER", 2, """{"index":1,"batch":3}"""), "TRIGGER seq=12 index=1 batch=3" },
        { Line(3, "NETDEV", 3, """{"ifname":"eth0","ifindex":2,"event":"UP","flags":"0x1003","netns":0}"""), "NETDEV seq=3 ifname=eth0 ifindex=2 event=UP flags=0x1003 netns=0" },
        { Line(4, "NETDEV", 3, """{"ifname":"eth1","ifindex":9,"event":8,"flags":"0x0","netns":0}"""), "NETDEV seq=4 ifname=eth1 ifindex=9 event=8 flags=0x0 netns=0" },
        { Line(14, "MODULE", 4, """{"name":"efd_lkm_example","state":"GOING"}"""), "MODULE seq=14 name=efd_lkm_example state=GOING" },
        { Line(15, "TICK", 5, """{"n":18446744073709551615}"""), "TICK seq=15 n=18446744073709551615" },
        { Line(16, "INPUT", 6, """{"device":"Power Button","type":"KEY","code":116,"value":1}"""), @"INPUT seq=16 device=Power\x20Button type=KEY code=116 value=1" },
        {
            Line(17, "POWER", 7, """{"name":"BAT0","type":"BATTERY","online":-1,"status":"DISCHARGING","capacity":87,"parent":"PNP0C0A:00"}"""),
            "POWER seq=17 name=BAT0 type=BATTERY online=-1 status=DISCHARGING capacity=87 parent=PNP0C0A:00"
        },
        {
            Line(18, "IFADDR", 8, """{"ifname":"eth0","ifindex":2,"event":"UP","netns":0,"family":"inet","prefixlen":24,"addr":"192.0.2.5"}"""),
            "IFADDR seq=18 ifname=eth0 ifindex=2 event=UP netns=0 family=inet prefixlen=24 addr=192.0.2.5"
        },
        {
            Line(19, "IFADDR", 8, """{"ifname":"eth0","ifindex":2,"event":"DOWN","netns":0,"family":"inet6","prefixlen":64,"addr":"2001:db8::1"}"""),
            "IFADDR seq=19 ifname=eth0 ifindex=2 event=DOWN netns=0 family=inet6 prefixlen=64 addr=2001:db8::1"
        },
        { Line(20, "PM", 9, """{"event":"SUSPEND_PREPARE"}"""), "PM seq=20 event=SUSPEND_PREPARE" },
        { Line(21, "CPU", 10, """{"cpu":3,"online":0}"""), "CPU seq=21 cpu=3 online=0" },
        { Line(22, "KIND", 11, """{"kind":65536,"registered":1,"name":"example.event"}"""), "KIND seq=22 kind=65536 registered=1 name=example.event" },
        { Line(7, "USER_0x1234", 0x1234, """{"payload":"dead01"}""", payload: "3q0B"), "USER_0x1234 seq=7 payload=dead01" },
        { Line(9, "example.event", 0x10000, """{"n":5,"text":"efd_lkm_example","addr":"192.0.2.5"}"""), "example.event seq=9 n=5 text=efd_lkm_example addr=192.0.2.5" },
        { Line(10, "usb.device", 0x10001, """{}"""), "usb.device seq=10 count=1" }, // no fields: the count is all there is
        { """{"seq":5,"kindId":65536,"fields":{"n":1}}""", "REGISTERED_0x10000 seq=5 n=1" },   // a line without a kind name
        { """{"seq":5,"kind":"NETDEV","kindId":3,"count":1,"payload":"3q2+7w=="}""", "NETDEV seq=5 payload=deadbeef" }, // a daemon from before "fields"
        { """{"skipped":5}""", "SKIPPED 5 events (efdctl listen could not keep up)" },
    };

    [Theory]
    [MemberData(nameof(EventsOfEveryKind))]
    public void EventsPrintOneLineEachWithEveryFieldInTheDaemonsOrder(string json, string line)
    {
        Assert.Equal(line, Event(json));
    }

    [Fact]
    public void ARedeliveredEventSaysSoAfterItsSequence()
    {
        Assert.Equal(
            "NETDEV seq=3 redelivered=1 ifname=eth0 event=UP",
            Event("""{"seq":3,"kind":"NETDEV","kindId":3,"count":1,"redelivered":true,"fields":{"ifname":"eth0","event":"UP"}}"""));
    }

    [Fact]
    public void ACountOtherThanOneIsShownForAnyKind()
    {
        Assert.Equal("USER_0x1234 seq=7 count=4 payload=dead01", Event(Line(7, "USER_0x1234", 0x1234, """{"payload":"dead01"}""", count: 4)));
    }

    [Theory]
    [InlineData("""{"ifname":"a\nb c"}""", @"ifname=a\x0ab\x20c")]
    [InlineData("""{"ifname":"tab\there"}""", @"ifname=tab\x09here")]
    [InlineData("""{"ifname":"back\\x0a"}""", @"ifname=back\x5cx0a")]                 // a literal backslash cannot pass for an escape
    [InlineData("""{"text":"line\u2028sep\u0085nel"}""", @"text=line\u2028sep\x85nel")]
    [InlineData("""{"text":"caf\u00e9 \"q\" a=b"}""", @"text=café\x20""q""\x20a=b")]
    [InlineData("""{"bad name":1}""", @"bad\x20name=1")]
    [InlineData("""{"text":""}""", "text=")]
    public void AHostileValueCannotBreakTheLineOrTheField(string fields, string shown)
    {
        Assert.Equal($"example.event seq=1 {shown}", Event(Line(1, "example.event", 0x10000, fields)));
    }

    [Fact]
    public void AHostileKindNameCannotBreakTheLine()
    {
        Assert.Equal(@"bad\x0akind seq=1 n=1", Event("""{"seq":1,"kind":"bad\nkind","fields":{"n":1}}"""));
    }

    private static string Line(ulong seq, string kind, uint kindId, string fields, ulong count = 1, string payload = "AAAA") =>
        $$"""{"seq":{{seq}},"kind":"{{kind}}","kindId":{{kindId}},"count":{{count}},"kernelTimestampNs":99,"receivedAt":"2026-12-02T15:54:00.0000000\u002B00:00","payload":"{{payload}}","fields":{{fields}}}""";
}
