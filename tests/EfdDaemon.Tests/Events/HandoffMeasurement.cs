using System.Diagnostics;
using EfdDaemon.Events;
using EfdDaemon.Interop;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EfdDaemon.Tests.Events;

/// <summary>
/// The reader-to-handler handoff, measured as an eventfd ping-pong like the C baseline (tests/bench/c/efd_pingpong.c):
/// the test thread signals the daemon's eventfd and waits in poll() on a pong eventfd that the handler
/// writes. One-way latency is half the round trip. Run alone with
/// <c>dotnet test tests/EfdDaemon.Tests --filter Category=Perf --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Perf")]
public sealed class HandoffMeasurement(ITestOutputHelper output)
{
    private const int Warmup = 5_000;
    private const int Iterations = 20_000;

    [Fact]
    public void DispatcherHandoffToADedicatedConsumerAllocatesNothingPerEvent()
    {
        using FileDescriptor pong = Eventfd.Create(semaphore: false);
        var handler = new PongHandler(pong);
        using var source = new EventfdSource(EventfdMode.Counter, TimeProvider.System, NullLogger.Instance);
        using var dispatcher = new EventDispatcher([handler], TimeProvider.System, NullLogger.Instance);
        var reader = new AllocationProbe(dispatcher);
        dispatcher.Start();
        source.Start(reader, _ => { });
        (double p50, double p99) = PingPong(source, pong);
        source.Stop();
        dispatcher.Drain(TimeSpan.FromSeconds(5), TimeProvider.System);
        long allocated = reader.Allocated + handler.Allocated;
        output.WriteLine($"reader -> per-handler queue -> consumer thread: one-way p50 {p50:F1} us, p99 {p99:F1} us; "
            + $"allocated on the reader thread {reader.Allocated} B, on the consumer thread {handler.Allocated} B, in {Iterations} events");

        // Under one byte per event means nothing is allocated per event; a rare few hundred bytes
        // (the runtime's timer queue bookkeeping) have been seen once in a run.
        Assert.True(allocated < Iterations, $"{allocated} B allocated in {Iterations} events on the reader and consumer threads");
    }

    [Fact]
    public void HandlerOnTheReaderThreadIsTheFloorForComparison()
    {
        using FileDescriptor pong = Eventfd.Create(semaphore: false);
        using var source = new EventfdSource(EventfdMode.Counter, TimeProvider.System, NullLogger.Instance);
        var sink = new InlineSink(pong);
        source.Start(sink, _ => { });
        (double p50, double p99) = PingPong(source, pong);
        source.Stop();
        output.WriteLine($"reader thread calls the sink inline (no handoff): one-way p50 {p50:F1} us, p99 {p99:F1} us, {sink.Allocated} B allocated on the reader thread in {Iterations} events");

        // Per thread, as in the handoff test: xunit runs other test classes in parallel, so the
        // process-wide allocation count would measure them too.
        Assert.True(sink.Allocated < Iterations, $"{sink.Allocated} B allocated in {Iterations} events on the reader thread");
    }

    [Fact]
    public async Task SemaphoreModeReadsABacklogAtOneReadPerEvent()
    {
        const int Units = 200_000;
        var handler = new NoOpCounter(Units);
        using var source = new EventfdSource(EventfdMode.Semaphore, TimeProvider.System, NullLogger.Instance);
        var settings = new Dictionary<string, HandlerOptions>
        {
            ["Counter"] = new() { QueueCapacity = HandlerOptions.MaxQueueCapacity },
        };
        using var dispatcher = new EventDispatcher([handler], TimeProvider.System, NullLogger.Instance, settings);
        dispatcher.Start();
        source.Start(dispatcher, _ => { });

        long t0 = Stopwatch.GetTimestamp();
        var writer = new Thread(() =>
        {
            for (int i = 0; i < Units; i++)
            {
                source.Signal();
            }
        });
        writer.Start();
        await handler.Done.WaitAsync(TimeSpan.FromSeconds(60));
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        writer.Join();
        source.Stop();
        dispatcher.Drain(TimeSpan.FromSeconds(5), TimeProvider.System);
        output.WriteLine($"semaphore mode, one writer thread, {Units} single-unit writes: {Units / seconds / 1e6:F2} M events/s to a no-op handler, {dispatcher.Dropped} dropped");

        Assert.Equal(0, dispatcher.Dropped);
    }

    private sealed class NoOpCounter(int expected) : IEventHandler
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public string Name => "Counter";

        public Task Done => _done.Task;

        public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
        {
            if (++_count == expected)
            {
                _done.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }
    }

    private static (double P50, double P99) PingPong(EventfdSource source, FileDescriptor pong)
    {
        using var poller = new Poller(pong);
        double[] oneWay = new double[Iterations];
        for (int i = -Warmup; i < Iterations; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            source.Signal();
            poller.Wait(-1);
            Eventfd.TryRead(pong, out _);
            if (i >= 0)
            {
                oneWay[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / 2;
            }
        }

        Array.Sort(oneWay);
        return (oneWay[Iterations / 2], oneWay[Iterations * 99 / 100]);
    }

    /// <summary>Answers each event on the pong eventfd; measures what its own (consumer) thread allocates after warm-up.</summary>
    private sealed class PongHandler(FileDescriptor pong) : IEventHandler
    {
        private readonly ThreadAllocationWindow _window = new();

        public string Name => "Pong";

        public long Allocated => _window.Allocated;

        public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
        {
            _window.Observe();
            Eventfd.Write(pong, 1);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Sits between the reader and the dispatcher; measures what the reader thread allocates after warm-up.</summary>
    private sealed class AllocationProbe(IEventSink next) : IEventSink
    {
        private readonly ThreadAllocationWindow _window = new();

        public long Allocated => _window.Allocated;

        public void Publish(in EventRecord record)
        {
            _window.Observe();
            next.Publish(in record);
            next.EndOfBatch();
        }

        public void EndOfBatch() => next.EndOfBatch();
    }

    /// <summary>Answers on the reader thread itself; measures what that thread allocates after warm-up.</summary>
    private sealed class InlineSink(FileDescriptor pong) : IEventSink
    {
        private readonly ThreadAllocationWindow _window = new();

        public long Allocated => _window.Allocated;

        public void Publish(in EventRecord record)
        {
            _window.Observe();
            Eventfd.Write(pong, 1);
        }

        public void EndOfBatch()
        {
        }
    }

    /// <summary>
    /// What the calling thread allocates from the first measured event (after warm-up) to the last;
    /// per thread because xunit runs other test classes in parallel in this process.
    /// </summary>
    private sealed class ThreadAllocationWindow
    {
        private int _seen;
        private long _start;

        public long Allocated { get; private set; }

        public void Observe()
        {
            int n = ++_seen;
            if (n == Warmup + 1)
            {
                _start = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (n == Warmup + Iterations)
            {
                Allocated = GC.GetAllocatedBytesForCurrentThread() - _start;
            }
        }
    }
}
