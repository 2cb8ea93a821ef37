using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

public sealed class CheckConfigTests
{
    /// <summary>A stand-in efd-daemon: echoes its arguments, prints a verdict and exits with <paramref name="exitCode"/>.</summary>
    private static string FakeDaemon(TempDirectory dir, int exitCode, string stdout, string stderr)
    {
        string path = dir.Write("efd-daemon", $"""
            #!/bin/sh
            echo "args: $*"
            {(stdout.Length > 0 ? $"echo '{stdout}'" : "")}
            {(stderr.Length > 0 ? $"echo '{stderr}' >&2" : "")}
            exit {exitCode}
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static Task<CtlResult> CheckConfig(string daemon, params string[] args) =>
        Ctl.RunAsync(["check-config", .. args], new Dictionary<string, string> { ["EFD_DAEMON"] = daemon }, CancellationToken.None);

    [Fact]
    public async Task AValidConfigurationRelaysTheDaemonsVerdictAndExitsZero()
    {
        using var dir = new TempDirectory();
        CtlResult r = await CheckConfig(FakeDaemon(dir, 0, "config ok", ""));
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Equal("args: --check-config\nconfig ok\n", r.Out);
    }

    [Fact]
    public async Task AnInvalidConfigurationRelaysEachErrorAndExitsFive()
    {
        using var dir = new TempDirectory();
        CtlResult r = await CheckConfig(FakeDaemon(dir, 1, "", "Daemon:EventfdMode: Sometimes is not Counter or Semaphore"));
        Assert.Equal(ExitCodes.InvalidConfiguration, r.ExitCode);
        Assert.Equal("Daemon:EventfdMode: Sometimes is not Counter or Semaphore\n", r.Error);
    }

    [Fact]
    public async Task TheFileIsPassedAsAnAbsolutePath()
    {
        using var dir = new TempDirectory();
        CtlResult r = await CheckConfig(FakeDaemon(dir, 0, "config ok", ""), "some.json");
        Assert.StartsWith($"args: --check-config {Path.GetFullPath("some.json")}\n", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyOtherDaemonFailureExitsOne()
    {
        using var dir = new TempDirectory();
        string daemon = FakeDaemon(dir, 70, "", "internal error");
        CtlResult r = await CheckConfig(daemon);
        Assert.Equal(ExitCodes.Failed, r.ExitCode);
        Assert.EndsWith($"efdctl: {daemon} --check-config failed (exit status 70)\n", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingDaemonIsNamed()
    {
        CtlResult r = await CheckConfig("/nonexistent/efd-daemon");
        Assert.Equal(ExitCodes.Failed, r.ExitCode);
        Assert.Equal("efdctl: EFD_DAEMON=/nonexistent/efd-daemon: no such file\n", r.Error);
    }

    [Fact]
    public void WithoutEfdDaemonTheInstalledDaemonComesBeforeTheOneBesideEfdctl()
    {
        using var dir = new TempDirectory();
        string beside = FakeDaemon(dir, 0, "", "");
        var context = new CtlContext { Out = TextWriter.Null, Error = TextWriter.Null, GetEnvironmentVariable = _ => null, BaseDirectory = dir.Path };
        string expected = File.Exists(Commands.CheckConfigCommand.InstalledDaemon) ? Commands.CheckConfigCommand.InstalledDaemon : beside;
        Assert.Equal(expected, Commands.CheckConfigCommand.LocateDaemon(context));
    }
}
