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

    [Theory]
    [InlineData("""{"seq":12,"kind":"TRIGGER","kindId":2,"count":1,"index":1,"batch":3}""", "TRIGGER seq=12 index=1 batch=3")]
    [InlineData("""{"seq":13,"kind":"NETDEV","kindId":3,"ifname":"dummy0","ifindex":4,"netdevEvent":"UP","flags":4099}""", "NETDEV seq=13 ifname=dummy0 UP ifindex=4 flags=0x1003")]
    [InlineData("""{"seq":14,"kind":"NETDEV","ifname":"eth0","netdevEvent":"8"}""", "NETDEV seq=14 ifname=eth0 event=8")]
    [InlineData("""{"seq":15,"kind":"MODULE","module":"dummy","state":"LIVE"}""", "MODULE seq=15 module=dummy LIVE")]
    [InlineData("""{"seq":16,"kind":"MODULE","module":"dummy","state":"7"}""", "MODULE seq=16 module=dummy state=7")]
    [InlineData("""{"seq":17,"kind":"TICK","tick":9}""", "TICK seq=17 tick=9")]
    [InlineData("""{"seq":1,"kind":"ATTACHED","pid":100,"fd":4}""", "ATTACHED seq=1 pid=100 fd=4")]
    [InlineData("""{"seq":0,"kind":"SIGNAL","kindId":0,"count":3}""", "SIGNAL seq=0 count=3")]
    [InlineData("""{"seq":18,"kind":"USER_0x1234","kindId":4660,"count":1,"payload":"3q2+7w=="}""", "USER_0x1234 seq=18 payload=deadbeef")]
    [InlineData("""{"skipped":5}""", "SKIPPED 5 events (efdctl listen could not keep up)")]
    public void EventsPrintOneLineEachLikeAcpiListen(string json, string line)
    {
        Assert.Equal(line, Event(json));
    }

    [Fact]
    public void AHostileInterfaceNameCannotBreakTheLine()
    {
        Assert.Equal(@"NETDEV seq=1 ifname=a\x0ab\x20c UP", Event("""{"seq":1,"kind":"NETDEV","ifname":"a\nb c","netdevEvent":"UP"}"""));
    }
}
