using System.Globalization;

namespace EfdDaemon.Events;

/// <summary>
/// acpid's event string for the events acpid itself would emit, so that rules and scripts written
/// for acpid (<c>event=button/power.*</c>, <c>/etc/acpi/powerbtn.sh %e</c>) carry over unchanged.
/// </summary>
/// <remarks>
/// <para>
/// acpid 2.0 (Debian's 2.0.33) has two sources, and this follows both exactly where efd_lkm records
/// the same happening:
/// </para>
/// <list type="bullet">
/// <item>its input layer, which looks each key and switch event up in a fixed table and emits only
/// what the table names: a key's press (value 1, never its release or autorepeat) and a switch's
/// either state. Of efd_lkm's six system keys acpid names four (<c>KEY_WAKEUP</c> and
/// <c>KEY_RFKILL</c> it does not); of the switches, the lid, tablet mode and the five jacks.</item>
/// <item>the ACPI netlink events of the ACPI AC adapter and battery drivers
/// (<c>"%s %s %08x %08x"</c>: device class, the ACPI device's name, event 0x80 "status changed",
/// data). efd_lkm sees these as power_supply changes of a supply whose parent is that ACPI device:
/// a mains supply gives <c>ac_adapter ACPI0003:00 00000080 0000000N</c> with N its online state
/// (the AC driver's data), a battery <c>battery PNP0C0A:00 00000080 00000001</c> (the battery
/// driver's data is "present", and a battery that is gone no longer reports changes). A supply whose
/// parent is not an ACPI device (USB-C, a HID device's battery, a charger IC) gets none: acpid never
/// hears of it.</item>
/// </list>
/// <para>
/// Not carried over: the ACPI button driver's own netlink events
/// (<c>button/power LNXPWRBN:00 00000080 0000000N</c>, a counter in the last field), which acpid
/// emits beside the input layer's string for the same press; so a rule <c>button/power.*</c> runs
/// once per press here where acpid ran it twice.
/// </para>
/// </remarks>
internal static class AcpidEvent
{
    /// <summary>The ACPI notification of a status change, acpid's third token for every event it names.</summary>
    private const string StatusChanged = "00000080";

    /// <summary>Returns acpid's event string for <paramref name="e"/>, or <see langword="null"/> when acpid would emit nothing for it.</summary>
    public static string? Format(in KernelEvent e)
    {
        if (e.TryGetInput(out InputPayload input))
        {
            return input.Type switch
            {
                InputEventType.Key when input.Value == 1 => KeyPress((SystemKey)input.Code),
                InputEventType.Switch => Switch((SwitchCode)input.Code, input.Value),
                _ => null,
            };
        }

        if (e.TryGetPower(out PowerPayload power))
        {
            return SupplyChange(power);
        }

        return null;
    }

    /// <summary>Splits an event string into the tokens acpid's <c>%e</c> gave a shell: <c>$1</c>…<c>$4</c>.</summary>
    public static string[] Tokens(string acpidEvent) => acpidEvent.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string? KeyPress(SystemKey key) => key switch
    {
        SystemKey.Power => "button/power PBTN 00000080 00000000",
        SystemKey.Sleep => "button/sleep SBTN 00000080 00000000",
        SystemKey.Suspend => "button/suspend SUSP 00000080 00000000",
        SystemKey.Battery => "button/battery BAT 00000080 00000000",
        _ => null,
    };

    private static string? Switch(SwitchCode code, int value)
    {
        bool on = value != 0;
        return code switch
        {
            SwitchCode.Lid => on ? "button/lid LID close" : "button/lid LID open",
            SwitchCode.TabletMode => on ? "video/tabletmode TBLT 0000008A 00000001" : "video/tabletmode TBLT 0000008A 00000000",
            SwitchCode.HeadphoneInsert => Jack("headphone", on),
            SwitchCode.MicrophoneInsert => Jack("microphone", on),
            SwitchCode.LineoutInsert => Jack("lineout", on),
            SwitchCode.VideooutInsert => Jack("videoout", on),
            SwitchCode.LineinInsert => Jack("linein", on),
            _ => null,
        };
    }

    private static string Jack(string name, bool plugged) =>
        $"jack/{name} {name.ToUpperInvariant()} {(plugged ? "plug" : "unplug")}";

    private static string? SupplyChange(in PowerPayload power)
    {
        string parent = power.Parent.ToString();
        if (!IsAcpiDeviceName(parent))
        {
            return null;
        }

        return power.Type switch
        {
            PowerSupplyType.Mains when power.Online >= 0 =>
                string.Create(CultureInfo.InvariantCulture, $"ac_adapter {parent} {StatusChanged} {power.Online:x8}"),
            PowerSupplyType.Battery => $"battery {parent} {StatusChanged} 00000001",
            _ => null,
        };
    }

    /// <summary>
    /// Whether <paramref name="name"/> is an ACPI device's name as the kernel forms it
    /// (<c>"%s:%02x"</c> of the hardware id and the instance): <c>ACPI0003:00</c>, <c>PNP0C0A:01</c>.
    /// Hardware ids are PNP (3 letters, 4 hex digits) or ACPI (4 characters, 4 hex digits) ids.
    /// </summary>
    internal static bool IsAcpiDeviceName(ReadOnlySpan<char> name)
    {
        int colon = name.IndexOf(':');
        if (colon is not (7 or 8) || name.Length - colon - 1 < 2)
        {
            return false;
        }

        foreach (char c in name[..colon])
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c) && c != '_')
            {
                return false;
            }
        }

        foreach (char c in name[(colon + 1)..])
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
