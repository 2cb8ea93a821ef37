using EfdDaemon.Events;
using EfdDaemon.Tests.Support;

namespace EfdDaemon.Tests.Events;

/// <summary>
/// acpid's event strings, exactly for the events acpid 2.0.33 (Debian 12) emits: the strings are its
/// input layer's table and its ACPI netlink format ("%s %s %08x %08x"), read from the binary.
/// </summary>
public sealed class AcpidEventTests
{
    private const int Key = 1;
    private const int Switch = 5;

    [Theory]
    [InlineData(Key, 116, 1, "button/power PBTN 00000080 00000000")]
    [InlineData(Key, 142, 1, "button/sleep SBTN 00000080 00000000")]
    [InlineData(Key, 205, 1, "button/suspend SUSP 00000080 00000000")]
    [InlineData(Key, 236, 1, "button/battery BAT 00000080 00000000")]
    [InlineData(Switch, 0, 1, "button/lid LID close")]
    [InlineData(Switch, 0, 0, "button/lid LID open")]
    [InlineData(Switch, 1, 1, "video/tabletmode TBLT 0000008A 00000001")]
    [InlineData(Switch, 1, 0, "video/tabletmode TBLT 0000008A 00000000")]
    [InlineData(Switch, 2, 1, "jack/headphone HEADPHONE plug")]
    [InlineData(Switch, 2, 0, "jack/headphone HEADPHONE unplug")]
    [InlineData(Switch, 4, 1, "jack/microphone MICROPHONE plug")]
    [InlineData(Switch, 6, 0, "jack/lineout LINEOUT unplug")]
    [InlineData(Switch, 8, 1, "jack/videoout VIDEOOUT plug")]
    [InlineData(Switch, 13, 1, "jack/linein LINEIN plug")]
    public void AKeyPressOrASwitchChangeGivesAcpidsString(int type, int code, int value, string expected)
    {
        Assert.Equal(expected, AcpidEvent.Format(Input(type, code, value)));
    }

    [Theory]
    [InlineData(Key, 116, 0)] // a release
    [InlineData(Key, 116, 2)] // autorepeat (efd_lkm never records it; nor would acpid name it)
    [InlineData(Key, 143, 1)] // KEY_WAKEUP: not in acpid's table
    [InlineData(Key, 247, 1)] // KEY_RFKILL: likewise
    [InlineData(Switch, 3, 0)] // SW_RFKILL_ALL
    [InlineData(Switch, 5, 1)] // SW_DOCK
    [InlineData(Switch, 16, 1)] // SW_MACHINE_COVER
    public void WhatAcpidDoesNotNameGivesNone(int type, int code, int value)
    {
        Assert.Null(AcpidEvent.Format(Input(type, code, value)));
    }

    [Theory]
    [InlineData(3, 0, "ACPI0003:00", "ac_adapter ACPI0003:00 00000080 00000000")]
    [InlineData(3, 1, "ACPI0003:00", "ac_adapter ACPI0003:00 00000080 00000001")]
    [InlineData(1, 1, "PNP0C0A:00", "battery PNP0C0A:00 00000080 00000001")]
    [InlineData(1, -1, "PNP0C0A:01", "battery PNP0C0A:01 00000080 00000001")]
    public void AnAcpiSupplysChangeGivesTheAcpiDriversNetlinkString(int type, int online, string parent, string expected)
    {
        Assert.Equal(expected, AcpidEvent.Format(Supply(type, online, parent)));
    }

    [Theory]
    [InlineData(3, 1, "efd_lkm_testmod")] // a platform device: acpid never hears of it
    [InlineData(1, 1, "0003:046D:4101.0001")] // a HID device's battery
    [InlineData(3, 1, "")] // no parent
    [InlineData(4, 1, "USBC000:00")] // USB power: not an AC adapter
    [InlineData(2, 1, "ACPI0003:00")] // a UPS
    [InlineData(3, -1, "ACPI0003:00")] // mains without an online property
    public void AnyOtherSupplyGivesNone(int type, int online, string parent)
    {
        Assert.Null(AcpidEvent.Format(Supply(type, online, parent)));
    }

    [Fact]
    public void OtherKindsGiveNone()
    {
        Assert.Null(AcpidEvent.Format(TestEvents.Netdev("eth0", 1)));
        Assert.Null(AcpidEvent.Format(TestEvents.Trigger()));
    }

    [Theory]
    [InlineData("ACPI0003:00", true)]
    [InlineData("PNP0C0A:00", true)]
    [InlineData("LNXPWRBN:00", true)]
    [InlineData("PNP0C0A:1a", true)]
    [InlineData("PNP0C0A:100", true)]
    [InlineData("PNP0C0A:1A", false)] // the instance is lower-case hex
    [InlineData("PNP0C0A:0", false)]
    [InlineData("acpi0003:00", false)]
    [InlineData("ACPI0003.0", false)]
    [InlineData("AC:00", false)]
    [InlineData("0003:046D:4101.0001", false)]
    [InlineData("", false)]
    public void AnAcpiDevicesNameIsItsHardwareIdAndInstance(string name, bool acpi)
    {
        Assert.Equal(acpi, AcpidEvent.IsAcpiDeviceName(name));
    }

    [Fact]
    public void TheTokensAreWhatAShellGaveAcpidsScriptsAsArguments()
    {
        Assert.Equal(["button/power", "PBTN", "00000080", "00000000"], AcpidEvent.Tokens("button/power PBTN 00000080 00000000"));
        Assert.Equal(["button/lid", "LID", "close"], AcpidEvent.Tokens("button/lid LID close"));
    }

    private static KernelEvent Input(int type, int code, int value) =>
        FieldEvents.Of(EventKind.Input, ("device", "Power Button"), ("type", type), ("code", code), ("value", value));

    private static KernelEvent Supply(int type, int online, string parent) =>
        FieldEvents.Of(EventKind.Power, ("name", "AC"), ("type", type), ("online", online), ("status", -1), ("capacity", -1), ("parent", parent));
}
