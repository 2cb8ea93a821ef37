using System.Runtime.InteropServices;
using System.Text;

namespace EfdDaemon.Tests.Support;

/// <summary>KernelEvents built from payload bytes laid out as efd_lkm's records are.</summary>
internal static class TestEvents
{
    public static KernelEvent Netdev(string ifname, uint netdevEvent = 1, uint ifindex = 3, uint flags = 0x1043, ulong sequence = 1)
    {
        byte[] payload = new byte[28];
        Encoding.UTF8.GetBytes(ifname).AsSpan(0, Math.Min(15, Encoding.UTF8.GetByteCount(ifname))).CopyTo(payload);
        MemoryMarshal.Write(payload.AsSpan(16), ifindex);
        MemoryMarshal.Write(payload.AsSpan(20), netdevEvent);
        MemoryMarshal.Write(payload.AsSpan(24), flags);
        return new KernelEvent(sequence, EventKind.Netdev, 1, 123_456_789, DateTimeOffset.UtcNow, payload);
    }

    public static KernelEvent Module(string name, uint state = 1, ulong sequence = 1)
    {
        byte[] payload = new byte[60];
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        if (bytes.Length > 55)
        {
            throw new ArgumentException($"A module name has at most 55 bytes; '{name}' has {bytes.Length}.", nameof(name));
        }

        bytes.CopyTo(payload, 0);
        MemoryMarshal.Write(payload.AsSpan(56), state);
        return new KernelEvent(sequence, EventKind.Module, 1, 42, DateTimeOffset.UtcNow, payload);
    }

    public static KernelEvent User(uint kind, byte[] payload, ulong sequence = 1) =>
        new(sequence, (EventKind)kind, 1, 7, DateTimeOffset.UtcNow, payload);

    public static KernelEvent Trigger(ulong sequence = 1, uint index = 1, uint batch = 1)
    {
        byte[] payload = new byte[8];
        MemoryMarshal.Write(payload.AsSpan(0), index);
        MemoryMarshal.Write(payload.AsSpan(4), batch);
        return new KernelEvent(sequence, EventKind.Trigger, 1, 99, DateTimeOffset.UtcNow, payload);
    }
}
