namespace EfdDaemon;

/// <summary>
/// The kind of a <see cref="KernelEvent"/>: the <c>kind</c> field of an efd_lkm record
/// (<c>EFD_LKM_KIND_*</c> in <c>kernel/include/uapi/efd_lkm.h</c>), or <see cref="Signal"/> for a
/// wake-up that carried no record.
/// </summary>
/// <remarks>
/// Values from <see cref="UserFirst"/> to <see cref="UserLast"/> are raised by other kernel modules
/// through <c>efd_lkm_notify()</c>; cast the number to <see cref="EventKind"/> to name one.
/// </remarks>
public enum EventKind : uint
{
    /// <summary>A bare eventfd wake-up without a record (no module, or <c>Module:Enabled=false</c>); <see cref="KernelEvent.Count"/> is the counter value read.</summary>
    Signal = 0,

    /// <summary>The module attached to this daemon's eventfd. Payload: <c>__s32 pid; __s32 fd;</c>.</summary>
    Attached = 1,

    /// <summary>A write to <c>/sys/kernel/efd_lkm/trigger</c>. Payload: <c>__u32 index; __u32 batch;</c>.</summary>
    Trigger = 2,

    /// <summary>A network interface changed. Payload: <c>char ifname[16]; __u32 ifindex; __u32 event; __u32 flags;</c>.</summary>
    Netdev = 3,

    /// <summary>A kernel module is loading or unloading. Payload: <c>char name[56]; __u32 state;</c>.</summary>
    Module = 4,

    /// <summary>The module's periodic tick (<c>tick_ms</c>). Payload: <c>__u64 n;</c>.</summary>
    Tick = 5,

    /// <summary>The first kind other modules may raise through <c>efd_lkm_notify()</c>.</summary>
    UserFirst = 0x1000,

    /// <summary>The last kind other modules may raise through <c>efd_lkm_notify()</c>.</summary>
    UserLast = 0xFFFF,
}
