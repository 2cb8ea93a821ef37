using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

public sealed class ListenAgainstFakeDaemonTests
{
    private static Task<CtlResult> Listen(FakeDaemon daemon, LineWriter output, CancellationToken cancellationToken, params string[] extra) =>
        Ctl.RunAsync(["listen", "--run-dir", daemon.RunDirectory, .. extra], new Dictionary<string, string>(), cancellationToken, output);

    private static readonly string[] SampleEvents =
    [
        """{"seq":12,"kind":"TRIGGER","kindId":2,"count":1,"kernelTimestampNs":5000,"receivedAt":"2026-11-25T17:00:00Z","payload":"AQAAAAMAAAA=","fields":{"index":1,"batch":3}}""",
        """{"seq":13,"kind":"NETDEV","kindId":3,"count":1,"kernelTimestampNs":6000,"receivedAt":"2026-11-25T17:00:01Z","payload":"ZHVtbXkwAAAAAAAAAAAAAAQAAAABAAAAAxAAAAAAAAA=","fields":{"ifname":"dummy0","ifindex":4,"event":"UP","flags":"0x1003","netns":0}}""",
        """{"skipped":2}""",
    ];

    private static readonly string[] RegisteredEvents =
    [
        """{"seq":20,"kind":"usb.device","kindId":65536,"count":1,"kernelTimestampNs":7000,"receivedAt":"2026-11-25T17:00:02Z","payload":"AQAAAA==","fields":{"busnum":1}}""",
        """{"seq":21,"kind":"example.event","kindId":65537,"count":1,"kernelTimestampNs":7001,"receivedAt":"2026-11-25T17:00:03Z","payload":"BQAAAA==","fields":{"n":5}}""",
    ];

    private const string NetdevLine = "NETDEV seq=13 ifname=dummy0 ifindex=4 event=UP flags=0x1003 netns=0";

    [Fact]
    public async Task ListenPrintsOneLinePerEventUntilInterruptedAndExitsZero()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        using var interrupt = new CancellationTokenSource();
        var output = new LineWriter();
        Task<CtlResult> run = Listen(daemon, output, interrupt.Token);

        await daemon.SendToListenerAsync(SampleEvents);
        await output.WaitForLinesAsync(3);
        await interrupt.CancelAsync(); // what SIGINT/SIGTERM do in Program.cs
        CtlResult r = await run;

        Assert.Equal("""{"cmd":"listen"}""", await daemon.Requests.ReadAsync());
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Equal("", r.Error);
        Assert.Equal(
            ["TRIGGER seq=12 index=1 batch=3", NetdevLine, "SKIPPED 2 events (efdctl listen could not keep up)"],
            output.Lines);
    }

    [Fact]
    public async Task ListenJsonPrintsTheDaemonsLinesVerbatim()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        using var interrupt = new CancellationTokenSource();
        var output = new LineWriter();
        Task<CtlResult> run = Listen(daemon, output, interrupt.Token, "--json");

        await daemon.SendToListenerAsync(SampleEvents);
        await output.WaitForLinesAsync(3);
        await interrupt.CancelAsync();

        Assert.Equal(ExitCodes.Ok, (await run).ExitCode);
        Assert.Equal(SampleEvents, output.Lines);
    }

    [Fact]
    public async Task ListenAcpidPrintsAcpidsStringsOnlyAsAcpiListenDoesAndReportsSkippedEventsOnStderr()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        using var interrupt = new CancellationTokenSource();
        var output = new LineWriter();
        Task<CtlResult> run = Listen(daemon, output, interrupt.Token, "--acpid");

        await daemon.SendToListenerAsync(
            SampleEvents[0],
            """{"seq":30,"kind":"INPUT","kindId":6,"count":1,"kernelTimestampNs":8000,"receivedAt":"2026-11-25T17:00:04Z","payload":"","fields":{"device":"Power Button","type":"KEY","code":"KEY_POWER","value":1},"acpid":"button/power PBTN 00000080 00000000"}""",
            """{"seq":31,"kind":"INPUT","kindId":6,"count":1,"kernelTimestampNs":8001,"receivedAt":"2026-11-25T17:00:05Z","payload":"","fields":{"device":"Power Button","type":"KEY","code":"KEY_POWER","value":0}}""",
            """{"skipped":2}""",
            """{"seq":34,"kind":"POWER","kindId":7,"count":1,"kernelTimestampNs":8002,"receivedAt":"2026-11-25T17:00:06Z","payload":"","fields":{"name":"AC"},"acpid":"ac_adapter ACPI0003:00 00000080 00000000"}""");
        await output.WaitForLinesAsync(2);
        await interrupt.CancelAsync();
        CtlResult r = await run;

        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Equal(["button/power PBTN 00000080 00000000", "ac_adapter ACPI0003:00 00000080 00000000"], output.Lines);
        Assert.Equal("SKIPPED 2 events (efdctl listen could not keep up)\n", r.Error);
    }

    [Fact]
    public async Task ListenRefusesJsonWithAcpid()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);

        CtlResult r = await Listen(daemon, new LineWriter(), CancellationToken.None, "--json", "--acpid");

        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--json and --acpid print different things: choose one.", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListenSendsTheRequestedKindsAndFiltersWhatADaemonSendsAnyway()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        using var interrupt = new CancellationTokenSource();
        var output = new LineWriter();
        Task<CtlResult> run = Listen(daemon, output, interrupt.Token, "--kind", "netdev");

        await daemon.SendToListenerAsync(SampleEvents[0], SampleEvents[1]);
        await output.WaitForLinesAsync(1);
        await interrupt.CancelAsync();

        Assert.Equal(ExitCodes.Ok, (await run).ExitCode);
        Assert.Equal("""{"cmd":"listen","kinds":["NETDEV"]}""", await daemon.Requests.ReadAsync());
        Assert.Equal([NetdevLine], output.Lines);
    }

    [Fact]
    public async Task ListenAsksForARegisteredKindByNameAndMatchesItByName()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        using var interrupt = new CancellationTokenSource();
        var output = new LineWriter();
        Task<CtlResult> run = Listen(daemon, output, interrupt.Token, "--kind", "usb.device");

        await daemon.SendToListenerAsync([SampleEvents[1], .. RegisteredEvents]);
        await output.WaitForLinesAsync(1);
        await interrupt.CancelAsync();

        Assert.Equal(ExitCodes.Ok, (await run).ExitCode);
        Assert.Equal("""{"cmd":"listen","kinds":["usb.device"]}""", await daemon.Requests.ReadAsync());
        Assert.Equal(["usb.device seq=20 busnum=1"], output.Lines);
    }

    [Fact]
    public async Task ListenAsksForAKindByNumberAndMatchesItByKindId()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        using var interrupt = new CancellationTokenSource();
        var output = new LineWriter();
        Task<CtlResult> run = Listen(daemon, output, interrupt.Token, "--kind", "0x10001,3");

        await daemon.SendToListenerAsync([SampleEvents[0], .. RegisteredEvents, SampleEvents[1]]);
        await output.WaitForLinesAsync(2);
        await interrupt.CancelAsync();

        Assert.Equal(ExitCodes.Ok, (await run).ExitCode);
        Assert.Equal("""{"cmd":"listen","kinds":["REGISTERED_0x10001","NETDEV"]}""", await daemon.Requests.ReadAsync());
        Assert.Equal(["example.event seq=21 n=5", NetdevLine], output.Lines);
    }

    [Fact]
    public async Task ADaemonThatStopsEndsListenWithExitThreeAndAClearLine()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        var output = new LineWriter();
        Task<CtlResult> run = Listen(daemon, output, CancellationToken.None);

        await daemon.SendToListenerAsync(SampleEvents[0]);
        await output.WaitForLinesAsync(1);
        await daemon.CloseListenerAsync();
        CtlResult r = await run;

        Assert.Equal(ExitCodes.NotRunning, r.ExitCode);
        Assert.Equal(["TRIGGER seq=12 index=1 batch=3"], output.Lines);
        Assert.Equal($"efdctl: efd-daemon (pid {Environment.ProcessId}) closed the control connection: it stopped\n", r.Error);
    }

    [Fact]
    public async Task ARefusedListenExitsOneWithTheReason()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir) { ListenAck = """{"ok":false,"error":"too many listeners"}""" };
        CtlResult r = await Listen(daemon, new LineWriter(), CancellationToken.None);

        Assert.Equal(ExitCodes.Failed, r.ExitCode);
        Assert.Equal("efdctl: efd-daemon refused listen: too many listeners\n", r.Error);
    }

    [Fact]
    public async Task ListenWithoutADaemonExitsThree()
    {
        using var dir = new TempDirectory();
        CtlResult r = await Ctl.RunAsync(["listen", "--run-dir", dir.Path], new Dictionary<string, string>(), CancellationToken.None);
        Assert.Equal(ExitCodes.NotRunning, r.ExitCode);
        Assert.Equal($"efdctl: efd-daemon is not running (no {dir.Path}/pid)\n", r.Error);
    }
}
