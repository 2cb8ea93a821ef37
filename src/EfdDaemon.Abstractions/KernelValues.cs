namespace EfdDaemon;

// The kernel's own values that records carry unchanged (kernel/include/uapi/efd_lkm.h pins them
// with BUILD_BUG_ONs). A value the kernel adds later still arrives: cast it and compare the number.

/// <summary>The notifier event of a <see cref="EventKind.Netdev"/> or <see cref="EventKind.Ifaddr"/> record (<c>NETDEV_*</c>).</summary>
public enum NetdevEvent : uint
{
    /// <summary><c>NETDEV_UP</c>: the interface came up; for an address, it was added.</summary>
    Up = 1,

    /// <summary><c>NETDEV_DOWN</c>: the interface went down; for an address, it was removed.</summary>
    Down = 2,

    /// <summary><c>NETDEV_CHANGE</c>: the interface's state changed (carrier, operstate).</summary>
    Change = 4,
}

/// <summary>The state of a <see cref="EventKind.Module"/> record (<c>MODULE_STATE_*</c>).</summary>
public enum ModuleState : uint
{
    /// <summary><c>MODULE_STATE_LIVE</c>: the module finished loading.</summary>
    Live = 0,

    /// <summary><c>MODULE_STATE_COMING</c>: the module is loading.</summary>
    Coming = 1,

    /// <summary><c>MODULE_STATE_GOING</c>: the module is unloading.</summary>
    Going = 2,
}

/// <summary>The type of an <see cref="EventKind.Input"/> record (<c>EV_*</c>).</summary>
public enum InputEventType : ushort
{
    /// <summary><c>EV_KEY</c>: a system key was pressed (value 1) or released (0).</summary>
    Key = 1,

    /// <summary><c>EV_SW</c>: a switch changed (value 1: closed, inserted, on).</summary>
    Switch = 5,
}

/// <summary>The system keys an <see cref="EventKind.Input"/> record reports (<c>KEY_*</c>); no other key is ever reported.</summary>
public enum SystemKey : ushort
{
    /// <summary><c>KEY_POWER</c>: the power button.</summary>
    Power = 116,

    /// <summary><c>KEY_SLEEP</c>.</summary>
    Sleep = 142,

    /// <summary><c>KEY_WAKEUP</c>.</summary>
    WakeUp = 143,

    /// <summary><c>KEY_SUSPEND</c>.</summary>
    Suspend = 205,

    /// <summary><c>KEY_BATTERY</c>.</summary>
    Battery = 236,

    /// <summary><c>KEY_RFKILL</c>.</summary>
    Rfkill = 247,
}

/// <summary>The switch of an <see cref="EventKind.Input"/> record of type <see cref="InputEventType.Switch"/> (<c>SW_*</c>).</summary>
public enum SwitchCode : ushort
{
    /// <summary><c>SW_LID</c>: 1 when the lid is closed.</summary>
    Lid = 0,

    /// <summary><c>SW_TABLET_MODE</c>.</summary>
    TabletMode = 1,

    /// <summary><c>SW_HEADPHONE_INSERT</c>.</summary>
    HeadphoneInsert = 2,

    /// <summary><c>SW_RFKILL_ALL</c>: 0 when every radio is killed.</summary>
    RfkillAll = 3,

    /// <summary><c>SW_MICROPHONE_INSERT</c>.</summary>
    MicrophoneInsert = 4,

    /// <summary><c>SW_DOCK</c>.</summary>
    Dock = 5,

    /// <summary><c>SW_LINEOUT_INSERT</c>.</summary>
    LineoutInsert = 6,

    /// <summary><c>SW_JACK_PHYSICAL_INSERT</c>.</summary>
    JackPhysicalInsert = 7,

    /// <summary><c>SW_VIDEOOUT_INSERT</c>.</summary>
    VideooutInsert = 8,

    /// <summary><c>SW_CAMERA_LENS_COVER</c>.</summary>
    CameraLensCover = 9,

    /// <summary><c>SW_KEYPAD_SLIDE</c>.</summary>
    KeypadSlide = 10,

    /// <summary><c>SW_FRONT_PROXIMITY</c>.</summary>
    FrontProximity = 11,

    /// <summary><c>SW_ROTATE_LOCK</c>.</summary>
    RotateLock = 12,

    /// <summary><c>SW_LINEIN_INSERT</c>.</summary>
    LineinInsert = 13,

    /// <summary><c>SW_MUTE_DEVICE</c>.</summary>
    MuteDevice = 14,

    /// <summary><c>SW_PEN_INSERTED</c>.</summary>
    PenInserted = 15,

    /// <summary><c>SW_MACHINE_COVER</c>.</summary>
    MachineCover = 16,
}

/// <summary>The type of a power supply in a <see cref="EventKind.Power"/> record (<c>POWER_SUPPLY_TYPE_*</c>).</summary>
public enum PowerSupplyType : uint
{
    /// <summary><c>POWER_SUPPLY_TYPE_UNKNOWN</c>.</summary>
    Unknown = 0,

    /// <summary><c>POWER_SUPPLY_TYPE_BATTERY</c>.</summary>
    Battery = 1,

    /// <summary><c>POWER_SUPPLY_TYPE_UPS</c>.</summary>
    Ups = 2,

    /// <summary><c>POWER_SUPPLY_TYPE_MAINS</c>: an AC adapter.</summary>
    Mains = 3,

    /// <summary><c>POWER_SUPPLY_TYPE_USB</c>.</summary>
    Usb = 4,
}

/// <summary>The charging status in a <see cref="EventKind.Power"/> record (<c>POWER_SUPPLY_STATUS_*</c>; -1 when the supply has none).</summary>
public enum PowerSupplyStatus
{
    /// <summary>The supply has no status property.</summary>
    None = -1,

    /// <summary><c>POWER_SUPPLY_STATUS_UNKNOWN</c>.</summary>
    Unknown = 0,

    /// <summary><c>POWER_SUPPLY_STATUS_CHARGING</c>.</summary>
    Charging = 1,

    /// <summary><c>POWER_SUPPLY_STATUS_DISCHARGING</c>.</summary>
    Discharging = 2,

    /// <summary><c>POWER_SUPPLY_STATUS_NOT_CHARGING</c>.</summary>
    NotCharging = 3,

    /// <summary><c>POWER_SUPPLY_STATUS_FULL</c>.</summary>
    Full = 4,
}

/// <summary>The step of a <see cref="EventKind.Pm"/> record (<c>PM_*</c> notifier values).</summary>
public enum PmEvent : uint
{
    /// <summary><c>PM_HIBERNATION_PREPARE</c>.</summary>
    HibernationPrepare = 1,

    /// <summary><c>PM_POST_HIBERNATION</c>.</summary>
    PostHibernation = 2,

    /// <summary><c>PM_SUSPEND_PREPARE</c>.</summary>
    SuspendPrepare = 3,

    /// <summary><c>PM_POST_SUSPEND</c>: resumed from suspend.</summary>
    PostSuspend = 4,

    /// <summary><c>PM_RESTORE_PREPARE</c>.</summary>
    RestorePrepare = 5,

    /// <summary><c>PM_POST_RESTORE</c>.</summary>
    PostRestore = 6,
}

/// <summary>The address family of an <see cref="EventKind.Ifaddr"/> record (Linux <c>AF_*</c>; not <see cref="System.Net.Sockets.AddressFamily"/>, whose numbers are Windows').</summary>
public enum IfaddrFamily : ushort
{
    /// <summary><c>AF_INET</c>: IPv4.</summary>
    Inet = 2,

    /// <summary><c>AF_INET6</c>: IPv6.</summary>
    Inet6 = 10,
}
