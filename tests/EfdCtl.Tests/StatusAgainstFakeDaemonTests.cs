using System.Text.Json;
using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

public sealed class StatusAgainstFakeDaemonTests
{
    private static Task<CtlResult> Status(FakeDaemon daemon, params string[] extra) =>
        Ctl.RunAsync(["status", "--run-dir", daemon.RunDirectory, .. extra], new Dictionary<string, string>(), CancellationToken.None);

    [Fact]
    public async Task StatusSendsTheStatusRequestAndPrintsTheSummary()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        CtlResult r = await Status(daemon);

        Assert.Equal("""{"cmd":"status"}""", await daemon.Requests.ReadAsync());
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Equal("", r.Error);
        Assert.StartsWith($"efd-daemon 0.1.0 (pid {Environment.ProcessId}) running", r.Out, StringComparison.Ordinal);
        Assert.Contains("LogHandler", r.Out, StringComparison.Ordinal);
        Assert.Contains("directory is group-writable", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusReadsTheModuleFiguresFromSysfs()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir, eventFd: 6);
        string sysfs = dir.WriteSysfs(attachedPid: Environment.ProcessId, attachedFd: 6, events: 31, signals: 30, dropped: 2, ringSize: 512);
        CtlResult r = await Status(daemon, "--sysfs", sysfs);

        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Contains($"module: attached to this daemon (pid {Environment.ProcessId}, fd 6)", r.Out, StringComparison.Ordinal);
        Assert.Contains("events 31, signals 30, dropped 2, ring size 512, ABI 1", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusJsonIsOneObjectWithTheDaemonsReplyInside()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        CtlResult r = await Status(daemon, "--json");

        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(r.Out);
        Assert.Equal(Environment.ProcessId, doc.RootElement.GetProperty("runFiles").GetProperty("pid").GetInt32());
        Assert.False(doc.RootElement.GetProperty("sysfs").GetProperty("present").GetBoolean());
        Assert.Equal(12, doc.RootElement.GetProperty("daemon").GetProperty("counters").GetProperty("received").GetInt32());
    }

    [Fact]
    public async Task AnErrorReplyExitsOneWithTheDaemonsReason()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir) { ControlReply = """{"ok":false,"error":"dispatcher is stopping"}""" };
        CtlResult r = await Status(daemon);

        Assert.Equal(ExitCodes.Failed, r.ExitCode);
        Assert.Equal("efdctl: efd-daemon replied: dispatcher is stopping\n", r.Error);
    }

    [Fact]
    public async Task AReplyThatIsNotJsonExitsOne()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir) { ControlReply = "hello" };
        CtlResult r = await Status(daemon);

        Assert.Equal(ExitCodes.Failed, r.ExitCode);
        Assert.StartsWith("efdctl: unexpected reply from efd-daemon", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADaemonThatNeverRepliesTimesOutWithExitOne()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir) { ControlReply = null };
        CtlResult r = await Ctl.RunAsync(["status", "--run-dir", dir.Path], new Dictionary<string, string>(), CancellationToken.None,
            replyTimeout: TimeSpan.FromMilliseconds(200));

        Assert.Equal(ExitCodes.Failed, r.ExitCode);
        Assert.Contains("did not reply within 0.2 s", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStaleSocketWithNobodyListeningIsNotRunning()
    {
        using var dir = new TempDirectory();
        dir.WriteRunFiles(Environment.ProcessId, 5);
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            // .NET unlinks a socket's path when it closes: bind elsewhere and move the node, as a crash leaves it.
            socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(dir.Combine("bound.sock")));
            File.Move(dir.Combine("bound.sock"), dir.Combine("control.sock"));
        }

        Assert.True(File.Exists(dir.Combine("control.sock")));
        CtlResult r = await Ctl.RunAsync(["status", "--run-dir", dir.Path], new Dictionary<string, string>(), CancellationToken.None);
        Assert.Equal(ExitCodes.NotRunning, r.ExitCode);
        Assert.Equal($"efdctl: efd-daemon is not running (nothing listens on {dir.Path}/control.sock)\n", r.Error);
    }
}
