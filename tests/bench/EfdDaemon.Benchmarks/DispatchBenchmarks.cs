using BenchmarkDotNet.Attributes;
using EfdDaemon.Bench;
using EfdDaemon.LatencyBench;

namespace EfdDaemon.Benchmarks;

/// <summary>
/// One event through the daemon's pipeline to 1, 4 or 16 no-op handlers: the eventfd (semaphore
/// mode, so one write of <see cref="Batch"/> makes <see cref="Batch"/> events), the reader thread,
/// the dispatcher and each handler's queue and consumer thread. Time and bytes are per event,
/// allocations counted on every thread of the process.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks : IDisposable
{
    private const int Batch = 256;
    private BenchState[] _states = [];
    private CorePipeline? _pipeline;
    private long _target;
    private string _directory = "";

    [Params(1, 4, 16)]
    public int Handlers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine("/dev/shm", $"efd-bdn-{Environment.ProcessId}");
        _states = [.. Enumerable.Range(0, Handlers).Select(i => BenchState.Create(Path.Combine(_directory, i.ToString(System.Globalization.CultureInfo.InvariantCulture))))];
        foreach (BenchState s in _states)
        {
            s.Answering = false;
        }

        _pipeline = new CorePipeline([.. _states.Select((s, i) => new PongHandler(s, $"Bench{i}"))], semaphore: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline?.Dispose();
        _pipeline = null;
        foreach (BenchState s in _states)
        {
            s.Dispose();
        }

        _states = [];
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public void Dispose()
    {
        Cleanup();
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long DispatchToHandlers()
    {
        _target += Batch;
        BenchNative.Write(_pipeline!.EventfdNumber, Batch);
        var spin = default(SpinWait);
        foreach (BenchState s in _states)
        {
            while (s.Events < _target)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        return _target;
    }
}
