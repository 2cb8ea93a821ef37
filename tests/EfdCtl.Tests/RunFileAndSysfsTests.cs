using EfdCtl.RunFiles;
using EfdDaemon.Sysfs;
using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

public sealed class RunFileAndSysfsTests
{
    [Fact]
    public void RunFilesGiveThePidTheEventfdAndTheSocketPath()
    {
        using var dir = new TempDirectory();
        dir.WriteRunFiles(Environment.ProcessId, 7);
        DaemonRunFiles run = DaemonRunFiles.Read(dir.Path, isRoot: true);
        Assert.Equal(Environment.ProcessId, run.Pid);
        Assert.Equal(7, run.EventFd);
        Assert.Equal(Path.Combine(dir.Path, "control.sock"), run.SocketPath);
    }

    [Fact]
    public void AMissingEfdFileIsNotAnErrorForReading()
    {
        using var dir = new TempDirectory();
        dir.WriteRunFiles(Environment.ProcessId, efd: null);
        Assert.Null(DaemonRunFiles.Read(dir.Path, isRoot: true).EventFd);
    }

    [Fact]
    public void AMissingRunDirectoryMeansNotRunning()
    {
        var e = Assert.Throws<CtlException>(() => DaemonRunFiles.Read("/nonexistent/efd-run", isRoot: true));
        Assert.Equal(ExitCodes.NotRunning, e.ExitCode);
        Assert.Equal("efd-daemon is not running (no /nonexistent/efd-run/pid)", e.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("")]
    public void AMalformedPidFileIsAFailureNamingTheFile(string content)
    {
        using var dir = new TempDirectory();
        dir.Write("pid", content);
        var e = Assert.Throws<CtlException>(() => DaemonRunFiles.Read(dir.Path, isRoot: true));
        Assert.Equal(ExitCodes.Failed, e.ExitCode);
        Assert.StartsWith($"{dir.Path}/pid does not hold a process id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SysfsFiguresAreReadOneValuePerFile()
    {
        using var dir = new TempDirectory();
        string sysfs = dir.WriteSysfs(attachedPid: 42, attachedFd: 3, events: 10, signals: 9, dropped: 1, ringSize: 2048, abiVersion: 1);
        ModuleFigures f = new ModuleSysfs(sysfs).Read();
        Assert.Equal(new ModuleFigures(sysfs, true, 42, 3, 10, 9, 1, 2048, 1), f);
    }

    [Fact]
    public void ADetachedModuleReportsMinusOne()
    {
        using var dir = new TempDirectory();
        ModuleFigures f = new ModuleSysfs(dir.WriteSysfs(attachedPid: -1, attachedFd: -1)).Read();
        Assert.Equal(-1, f.AttachedPid);
        Assert.Equal(-1, f.AttachedFd);
    }

    [Fact]
    public void AMissingSysfsDirectoryMeansTheModuleIsNotLoaded()
    {
        ModuleFigures f = new ModuleSysfs("/nonexistent/efd_lkm").Read();
        Assert.False(f.Present);
        Assert.Null(f.AttachedPid);
        Assert.Null(f.Events);
    }

    [Fact]
    public void MissingOrGarbledSysfsFilesAreUnknownRatherThanFatal()
    {
        using var dir = new TempDirectory();
        string sysfs = dir.WriteSysfs(attachedPid: 1, attachedFd: 2);
        File.Delete(Path.Combine(sysfs, "dropped"));
        File.WriteAllText(Path.Combine(sysfs, "events"), "lots\n");
        ModuleFigures f = new ModuleSysfs(sysfs).Read();
        Assert.True(f.Present);
        Assert.Null(f.Dropped);
        Assert.Null(f.Events);
        Assert.Equal(1, f.AttachedPid);
    }

    [Fact]
    public void TriggerWritesTheCountInDecimal()
    {
        using var dir = new TempDirectory();
        var sysfs = new ModuleSysfs(dir.WriteSysfs(attachedPid: 1, attachedFd: 2));
        sysfs.Trigger(12);
        Assert.Equal("12\n", File.ReadAllText(sysfs.TriggerPath));
    }
}
