using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

public sealed class ExitCodeTests
{
    [Fact]
    public async Task HelpListsEveryCommandAndEveryExitCode()
    {
        CtlResult r = await Ctl.RunAsync("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string text in new[] { "status", "signal [N]", "listen", "check-config [FILE]", "--run-dir DIR", "--sysfs DIR", "--json", "--kind KIND" })
        {
            Assert.Contains(text, r.Out, StringComparison.Ordinal);
        }

        foreach (string code in new[] { "0  success", "1  the operation failed", "2  usage error", "3  efd-daemon is not running", "4  permission denied", "5  check-config: the configuration is invalid" })
        {
            Assert.Contains(code, r.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task VersionPrintsTheProductVersion()
    {
        CtlResult r = await Ctl.RunAsync("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^efdctl \d+\.\d+\.\d+", r.Out);
    }

    [Fact]
    public async Task UsageErrorsExitTwoWithOneLineAndAHint()
    {
        CtlResult r = await Ctl.RunAsync("frobnicate");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Equal(
            "efdctl: unknown command 'frobnicate'\nTry 'efdctl --help' for more information.\n",
            r.Error);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("signal")]
    [InlineData("listen")]
    public async Task EveryDaemonCommandExitsThreeWithOneClearLineWhenNoDaemonRuns(string command)
    {
        using var dir = new TempDirectory();
        CtlResult r = await Ctl.RunAsync([command, "--run-dir", dir.Path], new Dictionary<string, string>(), CancellationToken.None);
        Assert.Equal(ExitCodes.NotRunning, r.ExitCode);
        Assert.Equal($"efdctl: efd-daemon is not running (no {dir.Path}/pid)\n", r.Error);
    }

    [Fact]
    public async Task AStalePidFileIsReportedAsNotRunning()
    {
        using var dir = new TempDirectory();
        dir.WriteRunFiles(999_999_999, 5); // above any pid_max
        CtlResult r = await Ctl.RunAsync(["status", "--run-dir", dir.Path], new Dictionary<string, string>(), CancellationToken.None);
        Assert.Equal(ExitCodes.NotRunning, r.ExitCode);
        Assert.Equal($"efdctl: efd-daemon is not running (stale {dir.Path}/pid: no process 999999999)\n", r.Error);
    }

    [Fact]
    public async Task ALivePidWithoutAControlSocketIsReportedAsNotRunning()
    {
        using var dir = new TempDirectory();
        dir.WriteRunFiles(Environment.ProcessId, 5);
        CtlResult r = await Ctl.RunAsync(["status", "--run-dir", dir.Path], new Dictionary<string, string>(), CancellationToken.None);
        Assert.Equal(ExitCodes.NotRunning, r.ExitCode);
        Assert.Equal($"efdctl: efd-daemon is not running (no {dir.Path}/control.sock)\n", r.Error);
    }

    [Fact]
    public void PermissionDeniedSaysWhenEfdctlIsNotRoot()
    {
        CtlException asUser = CtlException.PermissionDenied("cannot connect to /run/efd-daemon/control.sock", isRoot: false);
        Assert.Equal(ExitCodes.PermissionDenied, asUser.ExitCode);
        Assert.Equal("permission denied: cannot connect to /run/efd-daemon/control.sock (efdctl is not running as root: try sudo)", asUser.Message);
        Assert.DoesNotContain("not running as root", CtlException.PermissionDenied("x", isRoot: true).Message, StringComparison.Ordinal);
    }
}
