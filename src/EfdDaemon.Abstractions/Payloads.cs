using System.Net;
using System.Runtime.InteropServices;

namespace EfdDaemon;

// Typed views of the built-in kinds' payloads (kernel/include/uapi/efd_lkm.h, native-endian),
// read in place: a view allocates nothing, and is valid as long as the event's payload. The
// offsets are those of BuiltInKinds; a test checks every view against that table.

/// <summary>The payload of <see cref="EventKind.Attached"/>: the eventfd the module now signals.</summary>
public readonly ref struct AttachedPayload
{
    internal const int Length = 8;
    private readonly ReadOnlySpan<byte> _p;

    internal AttachedPayload(ReadOnlySpan<byte> p) => _p = p;

    /// <summary>Gets the process whose eventfd it is.</summary>
    public int Pid => MemoryMarshal.Read<int>(_p);

    /// <summary>Gets the eventfd's number in that process.</summary>
    public int Fd => MemoryMarshal.Read<int>(_p[4..]);
}

/// <summary>The payload of <see cref="EventKind.Trigger"/>.</summary>
public readonly ref struct TriggerPayload
{
    internal const int Length = 8;
    private readonly ReadOnlySpan<byte> _p;

    internal TriggerPayload(ReadOnlySpan<byte> p) => _p = p;

    /// <summary>Gets the 1-based index of this event within its write.</summary>
    public uint Index => MemoryMarshal.Read<uint>(_p);

    /// <summary>Gets the number of events the write asked for.</summary>
    public uint Batch => MemoryMarshal.Read<uint>(_p[4..]);
}

/// <summary>The payload of <see cref="EventKind.Netdev"/>.</summary>
public readonly ref struct NetdevPayload
{
    internal const int Length = 28;
    private readonly ReadOnlySpan<byte> _p;

    internal NetdevPayload(ReadOnlySpan<byte> p) => _p = p;

    /// <summary>Gets the interface's name.</summary>
    public KernelString InterfaceName => new(_p[..16]);

    /// <summary>Gets the interface's index.</summary>
    public uint InterfaceIndex => MemoryMarshal.Read<uint>(_p[16..]);

    /// <summary>Gets what happened.</summary>
    public NetdevEvent Event => (NetdevEvent)MemoryMarshal.Read<uint>(_p[20..]);

    /// <summary>Gets the interface's flags (<c>IFF_*</c>).</summary>
    public uint Flags => MemoryMarshal.Read<uint>(_p[24..]);

    /// <summary>Gets the inode number of the interface's network namespace, or <see langword="null"/> from a module that does not send it.</summary>
    public uint? NetworkNamespace => _p.Length >= 32 ? MemoryMarshal.Read<uint>(_p[28..]) : null;
}

/// <summary>The payload of <see cref="EventKind.Module"/>.</summary>
public readonly ref struct ModulePayload
{
    internal const int Length = 60;
    private readonly ReadOnlySpan<byte> _p;

    internal ModulePayload(ReadOnlySpan<byte> p) => _p = p;

    /// <summary>Gets the module's name.</summary>
    public KernelString Name => new(_p[..56]);

    /// <summary>Gets its state.</summary>
    public ModuleState State => (ModuleState)MemoryMarshal.Read<uint>(_p[56..]);
}

/// <summary>The payload of <see cref="EventKind.Tick"/>.</summary>
public readonly ref struct TickPayload
{
    internal const int Length = 8;
    private readonly ReadOnlySpan<byte> _p;

    internal TickPayload(ReadOnlySpan<byte> p) => _p = p;

    /// <summary>Gets the tick number, counted from 1 since the timer started.</summary>
    public ulong N => MemoryMarshal.Read<ulong>(_p);
}

/// <summary>The payload of <see cref="EventKind.Input"/>: a system key or a switch, never any other key.</summary>
public readonly ref struct InputPayload
{
    internal const int Length = 40;
    private readonly ReadOnlySpan<byte> _p;

    internal InputPayload(ReadOnlySpan<byte> p) => _p = p;

    /// <summary>Gets the input device's name (<c>Power Button</c>, <c>Lid Switch</c>).</summary>
    public KernelString Device => new(_p[..32]);

    /// <summary>Gets the event type: a key or a switch.</summary>
    public InputEventType Type => (InputEventType)MemoryMarshal.Read<ushort>(_p[32..]);

    /// <summary>Gets the code: a <see cref="SystemKey"/> for <see cref="InputEventType.Key"/>, a <see cref="SwitchCode"/> for <see cref="InputEventType.Switch"/>.</summary>
    public ushort Code => MemoryMarshal.Read<ushort>(_p[34..]);

    /// <summary>Gets the value: 1 pressed or closed, 0 released or open.</summary>
    public int Value => MemoryMarshal.Read<int>(_p[36..]);

    /// <summary>Gets the key, when <see cref="Type"/> is <see cref="InputEventType.Key"/>.</summary>
    public SystemKey? Key => Type == InputEventType.Key ? (SystemKey)Code : null;

    /// <summary>Gets the switch, when <see cref="Type"/> is <see cref="InputEventType.Switch"/>.</summary>
    public SwitchCode? Switch => Type == InputEventType.Switch ? (SwitchCode)Code : null;
}

/// <summary>The payload of <see cref="EventKind.Power"/>; a property the supply lacks reads -1.</summary>
public readonly ref struct PowerPayload
{
    internal const int Length = 72;
    private readonly ReadOnlySpan<byte> _p;

    internal PowerPayload(ReadOnlySpan<byte> p) => _p = p;

    /// <summary>Gets the supply's name (<c>AC</c>, <c>BAT0</c>).</summary>
    public KernelString Name => new(_p[..32]);

    /// <summary>Gets the supply's type.</summary>
    public PowerSupplyType Type => (PowerSupplyType)MemoryMarshal.Read<uint>(_p[32..]);

    /// <summary>Gets whether it is online: 1, 0, or -1.</summary>
    public int Online => MemoryMarshal.Read<int>(_p[36..]);

    /// <summary>Gets the charging status.</summary>
    public PowerSupplyStatus Status => (PowerSupplyStatus)MemoryMarshal.Read<int>(_p[40..]);

    /// <summary>Gets the capacity in percent, or -1.</summary>
    public int Capacity => MemoryMarshal.Read<int>(_p[44..]);

    /// <summary>Gets the parent device's name (<c>ACPI0003:00</c>), empty when it has none.</summary>
    public KernelString Parent => new(_p[48..72]);
}

/// <summary>The payload of <see cref="EventKind.Ifaddr"/>.</summary>
public readonly ref struct IfaddrPayload
{
    internal const int Length = 48;
    private readonly ReadOnlySpan<byte> _p;

    internal IfaddrPayload(ReadOnlySpan<byte> p) => _p = p;

    /// <summary>Gets the interface's name.</summary>
    public KernelString InterfaceName => new(_p[..16]);

    /// <summary>Gets the interface's index.</summary>
    public uint InterfaceIndex => MemoryMarshal.Read<uint>(_p[16..]);

    /// <summary>Gets what happened: <see cref="NetdevEvent.Up"/> added, <see cref="NetdevEvent.Down"/> removed.</summary>
    public NetdevEvent Event => (NetdevEvent)MemoryMarshal.Read<uint>(_p[20..]);

    /// <summary>Gets the inode number of the interface's network namespace.</summary>
    public uint NetworkNamespace => MemoryMarshal.Read<uint>(_p[24..]);

    /// <summary>Gets the address family.</summary>
    public IfaddrFamily Family => (IfaddrFamily)MemoryMarshal.Read<ushort>(_p[28..]);

    /// <summary>Gets the prefix length.</summary>
    public byte PrefixLength => _p[30];

    /// <summary>Gets the address's bytes in network order: 4 for IPv4, 16 for IPv6.</summary>
    public ReadOnlySpan<byte> Address => _p.Slice(32, Family == IfaddrFamily.Inet ? 4 : 16);

    /// <summary>Returns the address as an <see cref="IPAddress"/>; allocates.</summary>
    /// <returns>The address.</returns>
    public IPAddress ToIPAddress() => new(Address);
}

/// <summary>The payload of <see cref="EventKind.Pm"/>.</summary>
public readonly ref struct PmPayload
{
    internal const int Length = 4;
    private readonly ReadOnlySpan<byte> _p;

    internal PmPayload(ReadOnlySpan<byte> p) => _p = p;

    /// <summary>Gets the step.</summary>
    public PmEvent Event => (PmEvent)MemoryMarshal.Read<uint>(_p);
}

/// <summary>The payload of <see cref="EventKind.Cpu"/>.</summary>
public readonly ref struct CpuPayload
{
    internal const int Length = 8;
    private readonly ReadOnlySpan<byte> _p;

    internal CpuPayload(ReadOnlySpan<byte> p) => _p = p;

    /// <summary>Gets the CPU's number.</summary>
    public uint Cpu => MemoryMarshal.Read<uint>(_p);

    /// <summary>Gets whether it came online (<see langword="true"/>) or went offline.</summary>
    public bool Online => MemoryMarshal.Read<uint>(_p[4..]) != 0;
}

/// <summary>The payload of <see cref="EventKind.KindChange"/> (<c>KIND</c>).</summary>
public readonly ref struct KindPayload
{
    internal const int Length = 72;
    private readonly ReadOnlySpan<byte> _p;

    internal KindPayload(ReadOnlySpan<byte> p) => _p = p;

    /// <summary>Gets the number of the kind that changed.</summary>
    public EventKind Kind => (EventKind)MemoryMarshal.Read<uint>(_p);

    /// <summary>Gets whether it was registered (<see langword="true"/>) or unregistered.</summary>
    public bool Registered => MemoryMarshal.Read<uint>(_p[4..]) != 0;

    /// <summary>Gets its name.</summary>
    public KernelString Name => new(_p[8..72]);
}
