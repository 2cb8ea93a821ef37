using System.Globalization;
using EfdDaemon.Kernel;
using EfdDaemon.Sysfs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace EfdDaemon.Tests.Kernel;

/// <summary>The modprobe helper against a fake sysfs directory and a fake modprobe script.</summary>
public sealed class KernelModuleLoaderTests : IDisposable
{
    private const int Pid = 4321;
    private const int Fd = 17;

    private readonly TempDirectory _dir = new();
    private readonly ModuleOptions _options;

    public KernelModuleLoaderTests()
    {
        _options = new ModuleOptions
        {
            SysfsPath = _dir.Combine("sys", "efd_lkm"),
            ParametersPath = _dir.Combine("sys", "module", "efd_lkm", "parameters"),
            Modprobe = _dir.Combine("modprobe"),
        };
    }

    [Fact]
    public void ALoadedModuleIsReattachedThroughSysfsAndVerified()
    {
        FakeSysfs(attachedPid: Pid, abi: EfdLkmRecord.AbiVersion);

        ModuleFigures figures = Loader().Attach(Pid, Fd);

        Assert.Equal($"{Pid} {Fd}", File.ReadAllText(Path.Combine(_options.SysfsPath, "attach")));
        Assert.Equal(Pid, figures.AttachedPid);
        Assert.Equal(5, figures.Events);
        Assert.False(File.Exists(_dir.Combine("modprobe.args")), "modprobe must not run when the module is loaded");
    }

    [Fact]
    public void ALoadedModuleGetsTheConfiguredSourceSwitchesBeforeTheAttach()
    {
        // modprobe of a loaded module ignores its parameters: the switches of the earlier load would stay.
        FakeSysfs(attachedPid: Pid, abi: EfdLkmRecord.AbiVersion);
        File.WriteAllText(Path.Combine(_options.ParametersPath, "netdev"), "N\n");
        File.WriteAllText(Path.Combine(_options.ParametersPath, "tick_ms"), "0\n");
        _options.Netdev = true;
        _options.Modules = false;
        _options.TickMs = 250;
        _options.RingSize = 4096; // the loaded module keeps 1024: logged, not fatal

        Loader().Attach(Pid, Fd);

        Assert.Equal("1", Parameter("netdev"));
        Assert.Equal("0", Parameter("modules"));
        Assert.Equal("250", Parameter("tick_ms"));
        Assert.False(File.Exists(Path.Combine(_options.ParametersPath, "input")), "an older module without the source is left alone when it is off");
    }

    [Fact]
    public void TheInputAndPowerSourcesAreSwitchedOnAndOffWhereTheModuleHasThem()
    {
        FakeSysfs(attachedPid: Pid, abi: EfdLkmRecord.AbiVersion);
        File.WriteAllText(Path.Combine(_options.ParametersPath, "input"), "N\n");
        File.WriteAllText(Path.Combine(_options.ParametersPath, "power"), "Y\n");
        _options.Input = true;
        _options.Power = false;

        Loader().Attach(Pid, Fd);

        Assert.Equal(("1", "0"), (Parameter("input"), Parameter("power")));
    }

    [Fact]
    public void ASourceAskedForThatTheLoadedModuleLacksSaysHowToReloadIt()
    {
        FakeSysfs(attachedPid: Pid, abi: EfdLkmRecord.AbiVersion);
        _options.Power = true;

        var ex = Assert.Throws<StartupException>(() => Loader().Attach(Pid, Fd));

        Assert.Contains("Module:Power is true but the loaded efd_lkm has no 'power' source", ex.Message, StringComparison.Ordinal);
        Assert.Contains("modprobe -r efd_lkm", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnwritableParameterFailsTheAttachNamingTheFile()
    {
        FakeSysfs(attachedPid: Pid, abi: EfdLkmRecord.AbiVersion);
        Directory.Delete(_options.ParametersPath);

        var ex = Assert.Throws<StartupException>(() => Loader().Attach(Pid, Fd));

        Assert.Contains(Path.Combine(_options.ParametersPath, "netdev"), ex.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, File.ReadAllText(Path.Combine(_options.SysfsPath, "attach")));
    }

    [Fact]
    public void AnAbsentModuleIsLoadedWithModprobeAndTheConfiguredSourceSwitches()
    {
        _options.Netdev = true;
        _options.TickMs = 250;
        _options.RingSize = 4096;
        _options.Input = true;
        FakeModprobe($"""
            printf '%s\n' "$@" > {_dir.Combine("modprobe.args")}
            mkdir -p {_options.SysfsPath}
            echo 1 > {_options.SysfsPath}/abi_version
            echo {Pid} > {_options.SysfsPath}/attached_pid
            """);

        Loader().Attach(Pid, Fd);

        string[] args = File.ReadAllLines(_dir.Combine("modprobe.args"));
        Assert.Equal(["efd_lkm", $"pid={Pid}", $"efd={Fd}", "netdev=1", "modules=0", "tick_ms=250", "ring_size=4096", "input=1"], args);
    }

    [Fact]
    public void AModuleAttachedToAnotherProcessFailsVerificationNamingThatPid()
    {
        // modprobe of a loaded module exits 0 and ignores pid= and efd=: only attached_pid tells.
        FakeSysfs(attachedPid: 999, abi: EfdLkmRecord.AbiVersion);

        var ex = Assert.Throws<StartupException>(() => Loader().Attach(Pid, Fd));

        Assert.Contains("attached to pid 999, not to this daemon (pid 4321)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherAbiVersionIsRefusedWithAClearLine()
    {
        FakeSysfs(attachedPid: Pid, abi: 3);

        var ex = Assert.Throws<StartupException>(() => Loader().Attach(Pid, Fd));

        Assert.Contains("speaks ABI version 3, this daemon speaks 1 to 2", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_options.SysfsPath, "attach")) && File.ReadAllText(Path.Combine(_options.SysfsPath, "attach")).Length > 0);
    }

    [Fact]
    public void AModuleOfTheOlderAbiIsAcceptedWithAWarningThatSaysHowToReloadIt()
    {
        FakeSysfs(attachedPid: Pid, abi: EfdLkmRecord.OldestAbiVersion);
        var logger = new FakeLogger();

        ModuleFigures figures = new KernelModuleLoader(_options, logger).Attach(Pid, Fd);

        Assert.Equal(Pid, figures.AttachedPid);
        FakeLogRecord warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Id.Id == 3004);
        Assert.Contains("ABI version 1, older than this daemon's 2", warning.Message, StringComparison.Ordinal);
        Assert.Contains("modprobe -r efd_lkm", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingModuleNamesTheKernelReleaseAndThePackagesToInstall()
    {
        FakeModprobe("""
            echo "modprobe: FATAL: Module efd_lkm not found in directory /lib/modules/6.1.0-99-amd64" >&2
            exit 1
            """);

        var ex = Assert.Throws<StartupException>(() => Loader(() => "6.1.0-99-amd64").Attach(Pid, Fd));

        Assert.Equal(
            "Kernel module efd_lkm is not installed for the running kernel 6.1.0-99-amd64: install the packages efd-lkm-dkms and linux-headers-6.1.0-99-amd64.",
            ex.Message);
    }

    [Fact]
    public void AnyOtherModprobeFailureCarriesItsExitCodeAndFirstLine()
    {
        FakeModprobe("""
            echo "modprobe: ERROR: could not insert 'efd_lkm': No such process" >&2
            exit 3
            """);

        var ex = Assert.Throws<StartupException>(() => Loader().Attach(Pid, Fd));

        Assert.Contains("exit code 3: modprobe: ERROR: could not insert 'efd_lkm': No such process", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FiguresAreNullWhenTheModuleIsNotLoaded() => Assert.Null(Loader().ReadFigures());

    public void Dispose() => _dir.Dispose();

    private KernelModuleLoader Loader(Func<string>? release = null) => new(_options, NullLogger.Instance, release);

    private void FakeSysfs(int attachedPid, int abi)
    {
        Directory.CreateDirectory(_options.SysfsPath);
        Directory.CreateDirectory(_options.ParametersPath);
        File.WriteAllText(Path.Combine(_options.SysfsPath, "attach"), string.Empty);
        Write("attached_pid", attachedPid);
        Write("attached_fd", Fd);
        Write("abi_version", abi);
        Write("events", 5);
        Write("signals", 5);
        Write("dropped", 0);
        Write("ring_size", 1024);
    }

    private string Parameter(string name) => File.ReadAllText(Path.Combine(_options.ParametersPath, name));

    private void Write(string name, int value) =>
        File.WriteAllText(Path.Combine(_options.SysfsPath, name), value.ToString(CultureInfo.InvariantCulture) + "\n");

    private void FakeModprobe(string body)
    {
        File.WriteAllText(_options.Modprobe, "#!/bin/sh\n" + body.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(_options.Modprobe, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
