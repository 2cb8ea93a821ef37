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
    public void ParsesNamesAndNumbers(string text, EventKind expected)
    {
        Assert.True(EventKindNames.TryParse(text, out EventKind kind));
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("BOGUS")]
    [InlineData("6")]
    [InlineData("0xfff")]
    [InlineData("0x10000")]
    [InlineData("-1")]
    [InlineData("USER_")]
    public void RejectsWhatIsNeitherBuiltInNorUserRange(string? text)
    {
        Assert.False(EventKindNames.TryParse(text, out _));
    }

    [Theory]
    [InlineData(EventKind.Attached, "ATTACHED")]
    [InlineData((EventKind)0x1234, "USER_0x1234")]
    [InlineData((EventKind)77, "UNKNOWN_77")]
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
