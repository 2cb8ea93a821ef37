namespace EfdDaemon.Abstractions.Tests;

public sealed class EventKindNamesTests
{
    [Theory]
    [InlineData("TRIGGER", EventKind.Trigger)]
    [InlineData("netdev", EventKind.Netdev)]
    [InlineData(" Module ", EventKind.Module)]
    [InlineData("SIGNAL", EventKind.Signal)]
    [InlineData("5", EventKind.Tick)]
    [InlineData("0x1000", (EventKind)0x1000)]
    [InlineData("USER_0x1abc", (EventKind)0x1abc)]
    [InlineData("65535", EventKind.UserLast)]
    [InlineData("0x10000", EventKind.RegisteredFirst)]
    [InlineData("REGISTERED_0x10001", (EventKind)0x10001)]
    [InlineData("KIND", EventKind.KindChange)]
    [InlineData("input", EventKind.Input)]
    [InlineData("11", EventKind.KindChange)]
    public void ParsesNamesAndNumbers(string text, EventKind expected)
    {
        Assert.True(EventKindNames.TryParse(text, out EventKind kind));
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("BOGUS")]
    [InlineData("12")]
    [InlineData("0xfff")]
    [InlineData("usb.device")]
    [InlineData("USER_0x0001")]
    [InlineData("USER_0x10000")]
    [InlineData("REGISTERED_0x1234")]
    [InlineData("-1")]
    [InlineData("USER_")]
    public void RejectsWhatIsNeitherBuiltInNorANumberInARange(string? text)
    {
        Assert.False(EventKindNames.TryParse(text, out _));
    }

    [Theory]
    [InlineData(EventKind.Attached, "ATTACHED")]
    [InlineData((EventKind)0x1234, "USER_0x1234")]
    [InlineData((EventKind)77, "UNKNOWN_77")]
    [InlineData((EventKind)0x10002, "REGISTERED_0x10002")]
    [InlineData(EventKind.Pm, "PM")]
    public void NamesRoundTrip(EventKind kind, string name)
    {
        Assert.Equal(name, EventKindNames.GetName(kind));
        if (!name.StartsWith("UNKNOWN", StringComparison.Ordinal))
        {
            Assert.True(EventKindNames.TryParse(name, out EventKind back));
            Assert.Equal(kind, back);
        }
    }
}
