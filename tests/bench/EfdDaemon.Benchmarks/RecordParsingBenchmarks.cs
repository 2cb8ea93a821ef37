#if CORE_INTERNALS
using BenchmarkDotNet.Attributes;
using EfdDaemon.Events;
using EfdDaemon.Kernel;

namespace EfdDaemon.Benchmarks;

/// <summary>
/// What the reader does per record of a 64-record read from <c>/dev/efd_lkm</c>: reinterpret the
/// 128 bytes, copy them into an <see cref="EventRecord"/> (the queue slot's value), and what the
/// consumer does before the call: build the <see cref="KernelEvent"/> over its payload buffer.
/// </summary>
[MemoryDiagnoser]
public class RecordParsingBenchmarks
{
    private const int Records = 64;
    private readonly byte[] _buffer = new byte[EfdLkmRecord.Size * Records];
    private readonly byte[] _payload = new byte[KernelEvent.MaxPayloadLength];

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Records; i++)
        {
            var r = new EfdLkmRecord { Seq = (ulong)i + 1, TsNs = 1000, Kind = (uint)EventKind.Trigger, Len = 8 };
            System.Runtime.InteropServices.MemoryMarshal.Write(_buffer.AsSpan(i * EfdLkmRecord.Size), in r);
        }
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public ulong ParseRecords()
    {
        ulong sum = 0;
        DateTimeOffset now = DateTimeOffset.UnixEpoch;
        for (int i = 0; i < Records; i++)
        {
            var raw = EfdLkmRecord.Read(_buffer.AsSpan(i * EfdLkmRecord.Size, EfdLkmRecord.Size));
            var record = EventRecord.FromKernel(in raw, now);
            KernelEvent e = record.ToKernelEvent(_payload);
            sum += e.Sequence;
        }

        return sum;
    }
}
#endif
