using System.Diagnostics;
using EfdCtl.Tests.Fakes;
using Tmds.Linux;

namespace EfdCtl.Tests;

public sealed class EfdctlAsAProcessTests
{
    [Fact]
    public async Task AsAProcessEfdctlExitsThreeWithOneLineWhenNoDaemonRuns()
    {
        using var dir = new TempDirectory();
        CtlResult r = await EfdctlProcess.RunAsync(["status", "--run-dir", dir.Path]);
        Assert.Equal(ExitCodes.NotRunning, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Equal($"efdctl: efd-daemon is not running (no {dir.Path}/pid)\n", r.Error);
    }

    [Fact]
    public async Task AsAProcessHelpNamesEfdctlInItsUsage()
    {
        CtlResult r = await EfdctlProcess.RunAsync(["listen", "--help"]);
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Contains("Usage:\n  efdctl listen [options]\n", r.Out, StringComparison.Ordinal);
        Assert.Equal("", r.Error);
    }

    [Fact]
    public async Task AsAProcessAUsageErrorExitsTwoWithOneLineAndAHint()
    {
        CtlResult r = await EfdctlProcess.RunAsync(["status", "--frob"]);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Equal("efdctl: Unrecognized command or argument '--frob'.\nTry 'efdctl --help' for more information.\n", r.Error);
    }

    [Fact]
    public async Task AsAProcessSignalReachesAnotherProcesssEventfd()
    {
        using var dir = new TempDirectory();
        using EventfdChild child = await EventfdChild.StartAsync();
        dir.WriteRunFiles(child.Pid, child.EventFd);

        CtlResult r = await EfdctlProcess.RunAsync(["signal", "5", "--run-dir", dir.Path, "--sysfs", "/nonexistent/efd_lkm"]);

        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Equal(5UL, await child.ReadValueAsync());
    }

    [Fact]
    public async Task AsAProcessListenExitsZeroOnSigterm()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        using Process p = Process.Start(EfdctlProcess.StartInfo(["listen", "--run-dir", dir.Path]))!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();

        await daemon.SendToListenerAsync("""{"seq":1,"kind":"TRIGGER","kindId":2,"count":1,"fields":{"index":1,"batch":1}}""");
        Assert.Equal("TRIGGER seq=1 index=1 batch=1", await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, LibC.kill(p.Id, LibC.SIGTERM));
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Ok, p.ExitCode);
        Assert.Equal("", await stderr);
    }

    [Fact]
    public async Task AsAProcessListenExitsZeroWhenItsReaderGoesAway()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        using Process p = Process.Start(EfdctlProcess.StartInfo(["listen", "--run-dir", dir.Path]))!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();

        await daemon.SendToListenerAsync("""{"seq":1,"kind":"TRIGGER","kindId":2,"count":1,"fields":{"index":1,"batch":2}}""");
        Assert.Equal("TRIGGER seq=1 index=1 batch=2", await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        p.StandardOutput.Close(); // as `efdctl listen | head -1` does after one line
        await daemon.SendToListenerAsync("""{"seq":2,"kind":"TRIGGER","kindId":2,"count":1,"fields":{"index":2,"batch":2}}""");
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Ok, p.ExitCode);
        Assert.Equal("", await stderr);
    }

    [Fact]
    public async Task AsAProcessEfdctlAdvancesAStdoutFileItSharesWithTheShell()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("out.txt");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (string a in new[] { "-c", "{ echo first; \"$0\" \"$1\" --version; echo last; } > \"$2\"", EfdctlProcess.Dotnet, EfdctlProcess.Dll, file })
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, p.ExitCode);
        Assert.Matches(@"^first\nefdctl \d+\.\d+\.\d+\S*\nlast\n$", await File.ReadAllTextAsync(file));
    }

    [RequiresUnprivilegedRunFact]
    public async Task AsUserNobodyEfdctlExitsFourAndSaysItIsNotRoot()
    {
        using var dir = new TempDirectory();
        await using var daemon = new FakeDaemon(dir);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101); // 0755: the pid file is readable by all
        File.SetUnixFileMode(dir.Combine("control.sock"), UnixFileMode.UserRead | UnixFileMode.UserWrite); // 0600, as the daemon makes it

        CtlResult r = await EfdctlProcess.RunAsync(
            ["status", "--run-dir", dir.Path],
            [RequiresUnprivilegedRunFactAttribute.Setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]);

        Assert.Equal(ExitCodes.PermissionDenied, r.ExitCode);
        Assert.Equal($"efdctl: permission denied: cannot connect to {dir.Path}/control.sock (efdctl is not running as root: try sudo)\n", r.Error);
    }
}
