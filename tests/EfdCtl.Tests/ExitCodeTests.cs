using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

public sealed class ExitCodeTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    public async Task HelpListsEveryCommandTheGlobalOptionsAndEveryExitCode(string help)
    {
        CtlResult r = await Ctl.RunAsync(help);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        foreach (string text in new[] { "status", "signal <N>", "listen", "check-config <FILE>", "help", "--run-dir <DIR>", "--sysfs <DIR>", "-h, --help", "--version", "EFD_DAEMON" })
        {
            Assert.Contains(text, r.Out, StringComparison.Ordinal);
        }

        foreach (string code in new[] { "0    success", "1    the operation failed", "2    usage error", "3    efd-daemon is not running", "4    permission denied", "5    check-config: the configuration is invalid", "130  interrupted" })
        {
            Assert.Contains(code, r.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("status", new[] { "--json" })]
    [InlineData("listen", new[] { "--json", "--kind <KIND>", "a registered name such as usb.device" })]
    [InlineData("signal", new[] { "[<N>]", "[default: 1]" })]
    [InlineData("check-config", new[] { "[<FILE>]" })]
    public async Task ACommandsHelpListsItsOwnOptionsAndTheGlobalOnes(string command, string[] texts)
    {
        CtlResult r = await Ctl.RunAsync(command, "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string text in texts.Append("--run-dir <DIR>").Append("--sysfs <DIR>"))
        {
            Assert.Contains(text, r.Out, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Exit status:", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpShowsTheDefaultsTheEnvironmentGives()
    {
        CtlResult r = await Ctl.RunAsync(["--help"], new Dictionary<string, string> { ["EFD_RUN_DIR"] = "/env/run" }, CancellationToken.None);
        Assert.Contains("[default: /env/run]", r.Out, StringComparison.Ordinal);
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
            "efdctl: Unrecognized command or argument 'frobnicate'.\nTry 'efdctl --help' for more information.\n",
            r.Error);
    }

    [Theory]
    [InlineData(new string[0], "Required command was not provided.")]
    [InlineData(new[] { "status", "--frob" }, "Unrecognized command or argument '--frob'.")]
    [InlineData(new[] { "status", "extra" }, "Unrecognized command or argument 'extra'.")]
    [InlineData(new[] { "signal", "1", "2" }, "Unrecognized command or argument '2'.")]
    [InlineData(new[] { "signal", "--json" }, "Unrecognized command or argument '--json'.")]
    [InlineData(new[] { "check-config", "--json" }, "Unrecognized command or argument '--json'.")]
    [InlineData(new[] { "status", "--kind", "TRIGGER" }, "Unrecognized command or argument '--kind'.")]
    [InlineData(new[] { "status", "--run-dir" }, "Required argument missing for option: '--run-dir'.")]
    [InlineData(new[] { "status", "--run-dir=" }, "Required argument missing for option: '--run-dir'.")]
    [InlineData(new[] { "listen", "--kind" }, "Required argument missing for option: '--kind'.")]
    [InlineData(new[] { "status", "--json=yes" }, "Unrecognized command or argument 'yes'.")]
    [InlineData(new[] { "--version", "status" }, "--version option cannot be combined with other arguments.")]
    [InlineData(new[] { "signal", "0" }, "signal: N must be a whole number from 1 to 18446744073709551614, not '0'")]
    [InlineData(new[] { "listen", "--kind", "BOGUS" }, "unknown event kind 'BOGUS' (a built-in name such as NETDEV, a registered name such as usb.device, USER_0x1234, or a kind number)")]
    public async Task MistakesAreUsageErrorsThatSayWhatIsWrong(string[] args, string message)
    {
        CtlResult r = await Ctl.RunAsync(args);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Equal($"efdctl: {message}\nTry 'efdctl --help' for more information.\n", r.Error);
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
