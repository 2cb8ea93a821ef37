namespace EfdDaemon;

/// <summary>
/// The kind of a <see cref="KernelEvent"/>: the <c>kind</c> field of an efd_lkm record
/// (<c>EFD_LKM_KIND_*</c> in <c>kernel/include/uapi/efd_lkm.h</c>), or <see cref="Signal"/> for a
/// wake-up that carried no record.
/// </summary>
/// <remarks>
/// <para>Built-in kinds are named here and described by <see cref="BuiltInKinds"/>. Values from
/// <see cref="UserFirst"/> to <see cref="UserLast"/> are opaque kinds other kernel modules raise
/// through <c>efd_lkm_notify()</c>; values from <see cref="RegisteredFirst"/> up are kinds other
/// modules registered with <c>efd_lkm_kind_register()</c>, numbered per load of efd_lkm: match
/// those by name (<see cref="EventFormat.Name"/>), not by number.</para>
/// <para>A built-in kind whose source this kernel module does not have yet is simply never raised.</para>
/// </remarks>
public enum EventKind : uint
{
    /// <summary>A bare eventfd wake-up without a record (no module, or <c>Module:Enabled=false</c>); <see cref="KernelEvent.Count"/> is the counter value read.</summary>
    Signal = 0,

    /// <summary>The module attached to this daemon's eventfd (<see cref="AttachedPayload"/>).</summary>
    Attached = 1,

    /// <summary>A write to <c>/sys/kernel/efd_lkm/trigger</c> (<see cref="TriggerPayload"/>).</summary>
    Trigger = 2,

    /// <summary>A network interface changed (<see cref="NetdevPayload"/>).</summary>
    Netdev = 3,

    /// <summary>A kernel module is loading or unloading (<see cref="ModulePayload"/>).</summary>
    Module = 4,

    /// <summary>The module's periodic tick, <c>tick_ms</c> (<see cref="TickPayload"/>).</summary>
    Tick = 5,

    /// <summary>A system key or a switch: power button, lid, dock, rfkill (<see cref="InputPayload"/>).</summary>
    Input = 6,

    /// <summary>A power supply changed: AC adapter, battery, USB power (<see cref="PowerPayload"/>).</summary>
    Power = 7,

    /// <summary>An IPv4 or IPv6 address was added or removed (<see cref="IfaddrPayload"/>).</summary>
    Ifaddr = 8,

    /// <summary>A suspend, hibernation or resume step (<see cref="PmPayload"/>).</summary>
    Pm = 9,

    /// <summary>A CPU went online or offline (<see cref="CpuPayload"/>).</summary>
    Cpu = 10,

    /// <summary>A kind was registered or unregistered (<see cref="KindPayload"/>); its name is <c>KIND</c>.</summary>
    KindChange = 11,

    /// <summary>The first opaque kind other modules may raise through <c>efd_lkm_notify()</c>.</summary>
    UserFirst = 0x1000,

    /// <summary>The last opaque kind other modules may raise through <c>efd_lkm_notify()</c>.</summary>
    UserLast = 0xFFFF,

    /// <summary>The first number of a kind registered by another module (<c>efd_lkm_kind_register()</c>).</summary>
    RegisteredFirst = 0x10000,
}
