using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace EfdDaemon.Benchmarks;

/// <summary>The typed accessors a handler calls on a <see cref="KernelEvent"/> (the public half of record parsing).</summary>
[MemoryDiagnoser]
public class KernelEventBenchmarks
{
    private readonly byte[] _trigger = new byte[KernelEvent.MaxPayloadLength];
    private readonly byte[] _netdev = new byte[KernelEvent.MaxPayloadLength];
    private KernelEvent _triggerEvent;
    private KernelEvent _netdevEvent;

    [GlobalSetup]
    public void Setup()
    {
        MemoryMarshal.Write(_trigger, 3u);
        MemoryMarshal.Write(_trigger.AsSpan(4), 8u);
        "dummy0"u8.CopyTo(_netdev);
        MemoryMarshal.Write(_netdev.AsSpan(16), 7u);
        MemoryMarshal.Write(_netdev.AsSpan(20), 1u);
        _triggerEvent = new KernelEvent(1, EventKind.Trigger, 1, 42, DateTimeOffset.UnixEpoch, _trigger.AsMemory(0, 8));
        _netdevEvent = new KernelEvent(2, EventKind.Netdev, 1, 43, DateTimeOffset.UnixEpoch, _netdev.AsMemory(0, 28));
    }

    [Benchmark]
    public uint TriggerPayload() => _triggerEvent.TryGetTrigger(out TriggerPayload t) ? t.Index : 0;

    /// <summary>Reads in place: comparing the interface name allocates nothing.</summary>
    [Benchmark]
    public uint NetdevPayload() => _netdevEvent.TryGetNetdev(out NetdevPayload n) && n.InterfaceName.Equals("dummy0") ? n.InterfaceIndex : 0;

    /// <summary>The same field found by name through the event's format, as for a registered kind.</summary>
    [Benchmark]
    public ulong NetdevFieldByName() => _netdevEvent.TryGetField("ifindex", out FieldValue v) && v.TryGetUInt64(out ulong x) ? x : 0;
}
