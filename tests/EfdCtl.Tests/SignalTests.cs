using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

public sealed class SignalTests
{
    private static Task<CtlResult> Signal(TempDirectory dir, string sysfs, params string[] extra) =>
        Ctl.RunAsync(["signal", .. extra, "--run-dir", dir.Path, "--sysfs", sysfs], new Dictionary<string, string>(), CancellationToken.None);

    [Fact]
    public async Task WithoutTheModuleSignalWritesNToTheDaemonsEventfdThroughPidfdGetfd()
    {
        using var dir = new TempDirectory();
        using EventfdChild child = await EventfdChild.StartAsync();
        dir.WriteRunFiles(child.Pid, child.EventFd);

        CtlResult r = await Signal(dir, "/nonexistent/efd_lkm", "3");

        Assert.Equal("", r.Error);
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Equal(3UL, await child.ReadValueAsync());
        Assert.Equal($"signal: wrote 3 to efd-daemon's eventfd (pid {child.Pid}, fd {child.EventFd}) through pidfd_getfd (the module is not loaded)\n", r.Out);
    }

    [Fact]
    public async Task WhenTheModuleIsAttachedToSomeoneElseSignalStillUsesTheDaemonsEventfd()
    {
        using var dir = new TempDirectory();
        using EventfdChild child = await EventfdChild.StartAsync();
        dir.WriteRunFiles(child.Pid, child.EventFd);
        string sysfs = dir.WriteSysfs(attachedPid: Environment.ProcessId, attachedFd: 9);

        CtlResult r = await Signal(dir, sysfs);

        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Equal(1UL, await child.ReadValueAsync());
        Assert.Contains("through pidfd_getfd (the module is not attached to it)", r.Out, StringComparison.Ordinal);
        Assert.Equal("", File.ReadAllText(Path.Combine(sysfs, "trigger")));
    }

    [Fact]
    public async Task WhenTheModuleIsAttachedToTheDaemonSignalWritesTheTrigger()
    {
        using var dir = new TempDirectory();
        dir.WriteRunFiles(Environment.ProcessId, 5);
        string sysfs = dir.WriteSysfs(attachedPid: Environment.ProcessId, attachedFd: 5);

        CtlResult r = await Signal(dir, sysfs, "4");

        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Equal("4\n", File.ReadAllText(Path.Combine(sysfs, "trigger")));
        Assert.Equal($"signal: wrote 4 to {sysfs}/trigger: the module raises 4 TRIGGER events for efd-daemon (pid {Environment.ProcessId})\n", r.Out);
    }

    [Fact]
    public async Task AFailedTriggerWriteExitsOne()
    {
        using var dir = new TempDirectory();
        dir.WriteRunFiles(Environment.ProcessId, 5);
        string sysfs = dir.WriteSysfs(attachedPid: Environment.ProcessId, attachedFd: 5);
        File.Delete(Path.Combine(sysfs, "trigger"));
        File.CreateSymbolicLink(Path.Combine(sysfs, "trigger"), "/dev/full"); // write(2) fails with ENOSPC, as a refused sysfs store does with its errno

        CtlResult r = await Signal(dir, sysfs);

        Assert.Equal(ExitCodes.Failed, r.ExitCode);
        Assert.StartsWith($"efdctl: writing 1 to {sysfs}/trigger failed", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnFdThatIsNotAnEventfdIsRefusedWithoutWriting()
    {
        using var dir = new TempDirectory();
        using EventfdChild child = await EventfdChild.StartAsync();
        dir.WriteRunFiles(child.Pid, 1); // the child's stdout: a pipe

        CtlResult r = await Signal(dir, "/nonexistent/efd_lkm");

        Assert.Equal(ExitCodes.Failed, r.ExitCode);
        Assert.Matches($@"^efdctl: fd 1 of process {child.Pid} is pipe:\[\d+\], not an eventfd \(stale run file\?\)\n$", r.Error);
    }

    [Fact]
    public async Task AnFdThatIsNotOpenInTheDaemonExitsOne()
    {
        using var dir = new TempDirectory();
        using EventfdChild child = await EventfdChild.StartAsync();
        dir.WriteRunFiles(child.Pid, 900);

        CtlResult r = await Signal(dir, "/nonexistent/efd_lkm");

        Assert.Equal(ExitCodes.Failed, r.ExitCode);
        Assert.Equal($"efdctl: fd 900 is not open in efd-daemon (pid {child.Pid}): stale run file?\n", r.Error);
    }

    [Fact]
    public async Task AMissingEfdRunFileMeansNotRunning()
    {
        using var dir = new TempDirectory();
        dir.WriteRunFiles(Environment.ProcessId, efd: null);

        CtlResult r = await Signal(dir, "/nonexistent/efd_lkm");

        Assert.Equal(ExitCodes.NotRunning, r.ExitCode);
        Assert.Equal($"efdctl: efd-daemon is not running (no {dir.Path}/efd)\n", r.Error);
    }

    [Fact]
    public void ErrnoExceptionsCarryTheSyscallName()
    {
        var e = new EfdDaemon.Interop.ErrnoException("pidfd_getfd", EfdDaemon.Interop.Errno.EPERM);
        Assert.Equal("pidfd_getfd", e.Syscall);
        Assert.True(e.IsPermissionDenied);
        Assert.StartsWith("pidfd_getfd: ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("(errno 1)", e.Message, StringComparison.Ordinal);
    }
}
