using System.Diagnostics.Metrics;
using EfdDaemon.Hosting;
using EfdDaemon.Metrics;
using EfdDaemon.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EfdDaemon.Tests.Hosting;

public sealed class ReloadAndStartupTests
{
    [Fact]
    public async Task ReloadAppliesValidHandlerSettingsAndKeepsTheOldOnesWhenInvalid()
    {
        var recorder = new RecordingHandler();
        await using var daemon = new InProcessDaemon(InProcessDaemon.WithHandlers(recorder));
        string config = Path.Combine(Path.GetDirectoryName(daemon.RunDirectory)!, "etc", "efd-daemon.json");
        await daemon.StartAsync();
        var reload = daemon.Host.Services.GetRequiredService<ReloadService>();

        await File.WriteAllTextAsync(config, """{ "Handlers": { "Recorder": { "QueueCapacity": 8, "FullQueuePolicy": "DropNewest" } } }""");
        Assert.Empty(reload.Reload());
        var applied = daemon.Dispatcher.Snapshot().Single(h => h.Name == "Recorder").Settings;
        Assert.Equal(8, applied.QueueCapacity);

        await File.WriteAllTextAsync(config, """{ "Handlers": { "Recorder": { "QueueCapacity": 0 } } }""");
        string error = Assert.Single(reload.Reload());
        Assert.StartsWith("Handlers:Recorder: ", error, StringComparison.Ordinal);
        Assert.Equal(8, daemon.Dispatcher.Snapshot().Single(h => h.Name == "Recorder").Settings.QueueCapacity);
    }

    [Fact]
    public async Task ReloadReadsADropInCreatedAfterStartAndForgetsARemovedOne()
    {
        var recorder = new RecordingHandler();
        await using var daemon = new InProcessDaemon(InProcessDaemon.WithHandlers(recorder));
        string dropIns = Path.Combine(Path.GetDirectoryName(daemon.RunDirectory)!, "etc", "conf.d");
        await daemon.StartAsync();
        var reload = daemon.Host.Services.GetRequiredService<ReloadService>();
        int before = daemon.Dispatcher.Snapshot().Single(h => h.Name == "Recorder").Settings.QueueCapacity;

        Directory.CreateDirectory(dropIns);
        string dropIn = Path.Combine(dropIns, "50-late.json");
        await File.WriteAllTextAsync(dropIn, """{ "Handlers": { "Recorder": { "QueueCapacity": 16 } } }""");
        Assert.Empty(reload.Reload());
        Assert.Equal(16, daemon.Dispatcher.Snapshot().Single(h => h.Name == "Recorder").Settings.QueueCapacity);

        File.Delete(dropIn);
        Assert.Empty(reload.Reload());
        Assert.Equal(before, daemon.Dispatcher.Snapshot().Single(h => h.Name == "Recorder").Settings.QueueCapacity);
    }

    [Fact]
    public async Task ReloadOfADropInThatNoLongerParsesKeepsTheRunningSettingsAndSaysWhichFile()
    {
        var recorder = new RecordingHandler();
        await using var daemon = new InProcessDaemon(InProcessDaemon.WithHandlers(recorder));
        string dropIns = Path.Combine(Path.GetDirectoryName(daemon.RunDirectory)!, "etc", "conf.d");
        await daemon.StartAsync();
        var reload = daemon.Host.Services.GetRequiredService<ReloadService>();
        Directory.CreateDirectory(dropIns);
        await File.WriteAllTextAsync(Path.Combine(dropIns, "10-ok.json"), """{ "Handlers": { "Recorder": { "QueueCapacity": 32 } } }""");
        Assert.Empty(reload.Reload());

        await File.WriteAllTextAsync(Path.Combine(dropIns, "20-broken.json"), """{ "Handlers": { "Recorder": """);
        string error = Assert.Single(reload.Reload());

        Assert.Contains("20-broken.json", error, StringComparison.Ordinal);
        Assert.Equal(32, daemon.Dispatcher.Snapshot().Single(h => h.Name == "Recorder").Settings.QueueCapacity);
    }

    [Fact]
    public async Task AModuleThatCannotLoadStopsStartWithExitCodeTwoAndOneLine()
    {
        using var dir = new TempDirectory();
        string modprobe = dir.Combine("modprobe");
        await File.WriteAllTextAsync(modprobe, "#!/bin/sh\necho 'modprobe: FATAL: Module efd_lkm not found in directory /lib/modules/x' >&2\nexit 1\n");
        File.SetUnixFileMode(modprobe, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var stderr = new StringWriter();

        int code = await EfdProgram.RunAsync(
            ["--config-dir", dir.Path, $"--Daemon:RunDirectory={dir.Combine("run")}", $"--Module:Modprobe={modprobe}",
             $"--Module:SysfsPath={dir.Combine("sys")}", "--Logging:Journal=Off", "--Logging:MinimumLevel=Fatal"],
            stderr: stderr);

        Assert.Equal(2, code);
        Assert.Matches(@"^efd-daemon: Kernel module efd_lkm is not installed for the running kernel \S+: install the packages efd-lkm-dkms and linux-headers-\S+\.\n$", stderr.ToString());
        Assert.False(File.Exists(dir.Combine("run", "pid")));
    }

    [Fact]
    public async Task AStartupFailureAfterTheRunFilesWereWrittenLeavesNoneBehind()
    {
        using var dir = new TempDirectory();
        string run = dir.Combine("run");
        Directory.CreateDirectory(Path.Combine(run, "control.sock", "in-the-way"));
        var stderr = new StringWriter();

        int code = await EfdProgram.RunAsync(
            ["--config-dir", dir.Path, $"--Daemon:RunDirectory={run}", "--Module:Enabled=false", "--Logging:Journal=Off", "--Logging:MinimumLevel=Fatal"],
            stderr: stderr);

        Assert.Equal(2, code);
        Assert.StartsWith($"efd-daemon: Cannot create the control socket {run}/control.sock:", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(run, "pid")));
        Assert.False(File.Exists(Path.Combine(run, "efd")));
    }

    [Fact]
    public async Task TheMeterCountsReceivedAndDispatchedEvents()
    {
        var recorder = new RecordingHandler();
        await using var daemon = new InProcessDaemon(InProcessDaemon.WithHandlers(recorder), "--Handlers:LogHandler:Enabled=false");
        var metrics = daemon.Host.Services.GetRequiredService<EfdMetrics>();
        using var received = new MetricCollector<long>(metrics.Meter, "efd.events.received");
        using var dispatched = new MetricCollector<long>(metrics.Meter, "efd.events.dispatched");
        using var lost = new MetricCollector<long>(metrics.Meter, "efd.events.lost");
        using var duration = new MetricCollector<double>(metrics.HandlerDuration);
        await daemon.StartAsync();

        daemon.Source.Signal();
        await recorder.WaitForAsync(1);
        received.RecordObservableInstruments();
        dispatched.RecordObservableInstruments();
        lost.RecordObservableInstruments();
        await daemon.StopAsync();

        // Observable counters report the running total: the last measurement is the count.
        Assert.Equal(1, received.LastMeasurement?.Value);
        Assert.Equal(1, dispatched.GetMeasurementSnapshot().Single(m => (string?)m.Tags["handler"] == "Recorder").Value);
        Assert.All(lost.GetMeasurementSnapshot(), m => Assert.Equal(0, m.Value));
        Assert.Contains(lost.GetMeasurementSnapshot(), m => (string?)m.Tags["hop"] == "policy" && (string?)m.Tags["handler"] == "Recorder");
        Assert.Contains(duration.GetMeasurementSnapshot(), m => (string?)m.Tags["handler"] == "Recorder");
        Assert.Equal(EfdMetrics.MeterName, metrics.HandlerDuration.Meter.Name);
    }

    [Theory]
    [InlineData("200000", null, 100)]
    [InlineData("200000", "self", 100)]
    [InlineData("200000", "1", null)]
    [InlineData(null, null, null)]
    [InlineData("0", null, null)]
    public void TheWatchdogRunsAtHalfOfWatchdogUsecOnlyWhenItIsSetForThisProcess(string? usec, string? pid, int? expectedMs)
    {
        string? ownPid = pid == "self" ? Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) : pid;
        TimeSpan? interval = WatchdogService.GetInterval(name => name switch
        {
            "WATCHDOG_USEC" => usec,
            "WATCHDOG_PID" => ownPid,
            _ => null,
        });

        Assert.Equal(expectedMs is int ms ? TimeSpan.FromMilliseconds(ms) : null, interval);
    }
}
