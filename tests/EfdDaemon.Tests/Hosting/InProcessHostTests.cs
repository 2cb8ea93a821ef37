using EfdDaemon.Events;
using EfdDaemon.Tests.Support;

namespace EfdDaemon.Tests.Hosting;

public sealed class InProcessHostTests
{
    [Fact]
    public async Task CounterModeCoalescesSignalsWrittenBeforeTheReaderWakes()
    {
        var recorder = new RecordingHandler();
        await using var daemon = new InProcessDaemon(InProcessDaemon.WithHandlers(recorder));
        daemon.Source.Signal();
        daemon.Source.Signal();
        daemon.Source.Signal(5);

        await daemon.StartAsync();
        await recorder.WaitForAsync(1);
        await daemon.StopAsync();

        KernelEvent e = Assert.Single(recorder.Events);
        Assert.Equal(EventKind.Signal, e.Kind);
        Assert.Equal(7UL, e.Count);
    }

    [Fact]
    public async Task SemaphoreModeDeliversOneEventPerSignal()
    {
        var recorder = new RecordingHandler();
        await using var daemon = new InProcessDaemon(InProcessDaemon.WithHandlers(recorder), "--Daemon:EventfdMode=Semaphore");
        daemon.Source.Signal();
        daemon.Source.Signal();
        daemon.Source.Signal(2);

        await daemon.StartAsync();
        await recorder.WaitForAsync(4);
        await daemon.StopAsync();

        Assert.Equal(4, recorder.Events.Count);
        Assert.All(recorder.Events, e => Assert.Equal(1UL, e.Count));
    }

    [Fact]
    public async Task RunFilesNameThisProcessAndItsEventfdAndAreRemovedOnStop()
    {
        await using var daemon = new InProcessDaemon();
        await daemon.StartAsync();

        string pid = await File.ReadAllTextAsync(Path.Combine(daemon.RunDirectory, "pid"));
        string efd = await File.ReadAllTextAsync(Path.Combine(daemon.RunDirectory, "efd"));
        Assert.Equal($"{Environment.ProcessId}\n", pid);
        Assert.Equal($"{daemon.Source.EventfdNumber}\n", efd);
        Assert.StartsWith("anon_inode:[eventfd]", new FileInfo($"/proc/self/fd/{efd.Trim()}").LinkTarget, StringComparison.Ordinal);

        await daemon.StopAsync();
        Assert.False(File.Exists(Path.Combine(daemon.RunDirectory, "pid")));
        Assert.False(File.Exists(Path.Combine(daemon.RunDirectory, "efd")));
    }

    [Fact]
    public async Task ShutdownDrainsQueuedEventsBeforeRemovingRunFiles()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new GatedHandler(gate.Task);
        await using var daemon = new InProcessDaemon(InProcessDaemon.WithHandlers(slow), "--Daemon:EventfdMode=Semaphore");
        for (int i = 0; i < 5; i++)
        {
            daemon.Source.Signal();
        }

        await daemon.StartAsync();
        await slow.FirstCallStarted.WaitAsync(TestTimeouts.Bound);
        Task stop = daemon.StopAsync();
        gate.SetResult();
        await stop;

        Assert.Equal(5, slow.Completed);
        Assert.False(File.Exists(Path.Combine(daemon.RunDirectory, "pid")));
        Assert.Equal(5, daemon.Dispatcher.Snapshot().Single(h => h.Name == slow.Name).Handled);
    }

    [Fact]
    public async Task ThrowingHangingAndFullHandlersDoNotHoldBackAHealthyOneInTheRealHost()
    {
        var healthy = new RecordingHandler("Healthy");
        var thrower = new ThrowingHandler();
        var hanger = new HangingHandler();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var full = new GatedHandler(gate.Task, "Full");
        await using var daemon = new InProcessDaemon(
            // Full before Healthy: the reader offers each event to Full first, so once Healthy has
            // event 6, Full's drops are final.
            InProcessDaemon.WithHandlers(full, healthy, thrower, hanger),
            "--Daemon:EventfdMode=Semaphore",
            "--Handlers:Hanger:Timeout=00:00:00.050",
            "--Handlers:Full:QueueCapacity=2",
            "--Handlers:Full:FullQueuePolicy=DropNewest");
        await daemon.StartAsync();
        daemon.Source.Signal();
        await full.FirstCallStarted.WaitAsync(TestTimeouts.Bound);

        // Full now holds event 1: of the next five, two fit its queue and three are dropped.
        daemon.Source.Signal(5);
        await healthy.WaitForAsync(6);
        await hanger.FirstCancelled.WaitAsync(TestTimeouts.Bound);
        gate.SetResult();
        await daemon.StopAsync();

        Assert.Equal(6, healthy.Events.Count);
        Assert.Equal(6, thrower.Calls);
        Assert.Equal(6, daemon.Dispatcher.Snapshot().Single(h => h.Name == "Thrower").Failures);
        Assert.True(daemon.Dispatcher.Snapshot().Single(h => h.Name == "Hanger").Timeouts >= 1);
        Assert.Equal(3, daemon.Dispatcher.Snapshot().Single(h => h.Name == "Full").Dropped);
        Assert.Equal(3, full.Completed);
        Assert.Equal(3, daemon.Dispatcher.Dropped);
    }
}
