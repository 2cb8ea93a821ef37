using System.Net;
using EfdDaemon.Handlers.Exec;
using EfdDaemon.Tests.Support;

namespace EfdDaemon.Tests.Handlers.Exec;

/// <summary><c>Match:Fields</c> and the API-1 aliases, on built-in and registered kinds.</summary>
public sealed class ExecFieldMatchTests
{
    [Theory]
    [InlineData("ifindex", "9", true)]
    [InlineData("ifindex", " 9 ", true)]
    [InlineData("ifindex", "0x9", true)]
    [InlineData("ifindex", "8", false)]
    [InlineData("ifindex", "1..9", true)]
    [InlineData("ifindex", "1 .. 9", true)]
    [InlineData("ifindex", "..8", false)]
    [InlineData("ifindex", "9..", true)]
    [InlineData("ifindex", "10..", false)]
    [InlineData("event", "UP", true)]
    [InlineData("event", "up", true)]
    [InlineData("event", "DOWN", false)]
    [InlineData("event", "1", true)]
    [InlineData("flags", "0x1043", true)]
    [InlineData("flags", "4163", true)]
    [InlineData("ifname", "dummy*", true)]
    [InlineData("ifname", "dummy[0-9]", true)]
    [InlineData("ifname", "eth*", false)]
    [InlineData("ifname", "dummy", false)]
    public void NetdevFieldsMatchNumbersRangesValueNamesAndGlobs(string field, string pattern, bool matches)
    {
        ExecRule rule = Rule(["NETDEV"], (field, pattern));

        Assert.Equal(matches, rule.Matches(TestEvents.Netdev("dummy0", 1, ifindex: 9, flags: 0x1043)));
    }

    [Theory]
    [InlineData("-5..-1", true)]
    [InlineData("-3", true)]
    [InlineData("..-3", true)]
    [InlineData("..-4", false)]
    [InlineData("0..", false)]
    public void ASignedFieldMatchesNegativeNumbersAndRanges(string pattern, bool matches)
    {
        ExecRule rule = Rule(["INPUT"], ("value", pattern));

        Assert.Equal(matches, rule.Matches(FieldEvents.Of(EventKind.Input, ("device", "Lid Switch"), ("type", 5), ("value", -3))));
    }

    [Theory]
    [InlineData("18446744073709551614", true)]
    [InlineData("0xfffffffffffffffe", true)]
    [InlineData("9223372036854775808..", true)]
    [InlineData("..9223372036854775807", false)]
    public void AU64AboveLongMaxValueMatchesAsUnsigned(string pattern, bool matches)
    {
        ExecRule rule = Rule(["TICK"], ("n", pattern));

        Assert.Equal(matches, rule.Matches(FieldEvents.Of(EventKind.Tick, ("n", ulong.MaxValue - 1))));
    }

    [Theory]
    [InlineData("192.0.2.*", "192.0.2.7", true)]
    [InlineData("198.51.100.*", "192.0.2.7", false)]
    [InlineData("2001:db8::*", "2001:db8::1", true)]
    [InlineData("192.0.2.*", "2001:db8::1", false)]
    public void AnAddressMatchesAGlobOnItsRenderedText(string pattern, string address, bool matches)
    {
        IPAddress ip = IPAddress.Parse(address);
        int family = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 2 : 10;
        ExecRule rule = Rule(["IFADDR"], ("addr", pattern));

        Assert.Equal(matches, rule.Matches(FieldEvents.Of(EventKind.Ifaddr, ("ifname", "eth0"), ("family", family), ("addr", ip))));
    }

    [Theory]
    [InlineData("n", "0x1d6b", true)]
    [InlineData("n", "7531", true)]
    [InlineData("n", "7000..8000", true)]
    [InlineData("n", "1..3", false)]
    [InlineData("text", "Linux Foundation*", true)]
    [InlineData("text", "*Hub", false)]
    [InlineData("addr", "192.0.2.?", true)]
    [InlineData("addr", "10.*", false)]
    public void ARegisteredKindsFieldsMatchByTheirRegisteredTypes(string field, string pattern, bool matches)
    {
        ExecRule rule = Rule(["example.event"], (field, pattern));

        Assert.Equal(matches, rule.Matches(Example(0x1d6b, "Linux Foundation", "192.0.2.1")));
    }

    [Theory]
    [InlineData("1..3", true)]
    [InlineData("2", false)]
    public void ARangeOnATextFieldIsAGlobOnTheText(string text, bool matches)
    {
        ExecRule rule = Rule(["example.event"], ("text", "1..3"));

        Assert.Equal(matches, rule.Matches(Example(1, text, "192.0.2.1")));
    }

    [Fact]
    public void AValueNameOnAnIntegerFieldWithoutNamesNeverMatches()
    {
        ExecRule rule = Rule(["example.event"], ("n", "UP")); // not checkable before the kind registers

        Assert.False(rule.Matches(Example(1, "x", "192.0.2.1")));
    }

    [Fact]
    public void ARuleNamingARegisteredKindMatchesOnceItsFormatArrivesAndNotAnotherNameWithTheSameNumber()
    {
        ExecRule rule = Rule(["example.event"]);
        byte[] payload = FieldEvents.Payload(FieldEvents.Example, ("n", 1));

        Assert.Equal(["example.event"], rule.RegisteredKinds);
        Assert.False(rule.Matches(new KernelEvent(1, (EventKind)0x10000, 1, 0, DateTimeOffset.UtcNow, payload))); // format not read yet
        Assert.True(rule.Matches(FieldEvents.Of(FieldEvents.Example, ("n", 1))));
        Assert.False(rule.Matches(FieldEvents.Of(FieldEvents.Registered(0x10000, "other.event"), ("n", 1))));
        Assert.True(rule.Matches(FieldEvents.Of(FieldEvents.Registered(0x10005, "example.event"), ("n", 1)))); // registered again: a new number
    }

    [Fact]
    public void AConditionOnAFieldTheEventsKindLacksNeverMatches()
    {
        ExecRule rule = Rule(["NETDEV", "MODULE", "example.event"], ("ifname", "*"));

        Assert.True(rule.Matches(TestEvents.Netdev("eth0")));
        Assert.False(rule.Matches(TestEvents.Module("loop")));
        Assert.False(rule.Matches(Example(1, "eth0", "192.0.2.1")));
    }

    [Fact]
    public void AFieldBeyondAShortPayloadNeverMatches()
    {
        ExecRule rule = Rule(["NETDEV"], ("netns", "0.."));

        Assert.False(rule.Matches(TestEvents.Netdev("eth0"))); // 28 bytes: no netns
    }

    [Fact]
    public void TheAliasesOfApi1MatchAsBefore()
    {
        ExecRule netdev = RuleWith(["NETDEV", "IFADDR"], new ExecMatchOptions { Interface = "dummy*", NetdevEvent = "DOWN" });
        ExecRule byNumber = RuleWith(["NETDEV"], new ExecMatchOptions { NetdevEvent = "4" });
        ExecRule module = RuleWith(["MODULE", "POWER"], new ExecMatchOptions { Module = "snd_*", ModuleState = "GOING" });

        Assert.True(netdev.Matches(TestEvents.Netdev("dummy0", 2)));
        Assert.False(netdev.Matches(TestEvents.Netdev("dummy0", 1)));
        Assert.False(netdev.Matches(TestEvents.Netdev("eth0", 2)));
        // IFADDR has ifname and event too, but Match.Interface was NETDEV's: it still is.
        Assert.False(netdev.Matches(FieldEvents.Of(EventKind.Ifaddr, ("ifname", "dummy0"), ("event", 2), ("family", 2))));
        Assert.True(byNumber.Matches(TestEvents.Netdev("eth0", 4)));
        Assert.True(module.Matches(TestEvents.Module("snd_hda_intel", state: 2)));
        Assert.False(module.Matches(TestEvents.Module("snd_hda_intel", state: 0)));
        Assert.False(module.Matches(FieldEvents.Of(EventKind.Power, ("name", "snd_x"))));
    }

    [Fact]
    public void AValueOneOfTheRulesKindsCanHoldIsAccepted()
    {
        ExecRule rule = Rule(["NETDEV", "PM"], ("event", "UP"));

        Assert.True(rule.Matches(TestEvents.Netdev("eth0", 1)));
        Assert.False(rule.Matches(FieldEvents.Of(EventKind.Pm, ("event", 1))));
    }

    [Theory]
    [InlineData("NETDEV", "vendor", "1", "Match.Fields.vendor: no kind of this rule (NETDEV) has a field 'vendor'")]
    [InlineData("NETDEV,MODULE", "vendor", "1", "Match.Fields.vendor: no kind of this rule (NETDEV, MODULE) has a field 'vendor'")]
    [InlineData("NETDEV", "ifindex", "5..1", "Match.Fields.ifindex: '5..1' is not a range: the lower bound is above the upper one")]
    [InlineData("NETDEV", "ifindex", "1..x", "Match.Fields.ifindex: '1..x' is not a range: each bound is a number (decimal or 0x hexadecimal), and one may be left out")]
    [InlineData("NETDEV", "ifindex", "..", "Match.Fields.ifindex: '..' is not a range: each bound is a number (decimal or 0x hexadecimal), and one may be left out")]
    [InlineData("NETDEV", "ifindex", "UP", "Match.Fields.ifindex: 'UP' is not a number or a range N..M")]
    [InlineData("NETDEV", "event", "SIDEWAYS", "Match.Fields.event: 'SIDEWAYS' is not one of UP, DOWN, CHANGE, a number or a range N..M")]
    [InlineData("NETDEV", "ifindex", "-1", "Match.Fields.ifindex: '-1' is outside the range of u32 (0..4294967295)")]
    [InlineData("NETDEV", "ifindex", "0x100000000", "Match.Fields.ifindex: '0x100000000' is outside the range of u32 (0..4294967295)")]
    [InlineData("IFADDR", "prefixlen", "256..", "Match.Fields.prefixlen: '256..' is outside the range of u8 (0..255)")]
    [InlineData("INPUT", "value", "..-2147483649", "Match.Fields.value: '..-2147483649' is outside the range of s32 (-2147483648..2147483647)")]
    [InlineData("INPUT", "value", "0xfffffffd", "Match.Fields.value: '0xfffffffd' is outside the range of s32 (-2147483648..2147483647)")] // a value, not a bit pattern
    [InlineData("TICK", "n", "-2", "Match.Fields.n: '-2' is outside the range of u64 (0..18446744073709551615)")]
    [InlineData("NETDEV", "ifname", "eth[0-", "Match.Fields.ifname: 'eth[0-' has a '[' without its ']'")]
    [InlineData("NETDEV", "ifname", @"eth\", @"Match.Fields.ifname: 'eth\' ends with a lone backslash")]
    [InlineData("NETDEV", "ifname", "", "Match.Fields.ifname: the pattern is empty (leave the key out to match any value)")]
    [InlineData("NETDEV", "IfName", "eth0", "Match.Fields.IfName: 'IfName' is not a field name ([a-z0-9_]+, at most 32 bytes)")]
    [InlineData("usb.device", "ifname", "eth[0-", "Match.Fields.ifname: 'eth[0-' has a '[' without its ']'")]
    public void AFieldConditionThatCanNeverMatchIsRejectedWithOneClearLine(string kinds, string field, string pattern, string expected)
    {
        Assert.Equal(["Exec rule r: " + expected], Errors(kinds.Split(','), (field, pattern)));
    }

    [Theory]
    [InlineData("NETDEV,usb.device")]
    [InlineData("NETDEV,0x10000")]
    [InlineData("NETDEV,REGISTERED_0x10000")]
    [InlineData("NETDEV,USER_0x1234")]
    public void AFieldNoBuiltInKindHasIsAcceptedWhenTheRuleAlsoNamesAKindWithoutAKnownFormat(string kinds)
    {
        Assert.Empty(Errors(kinds.Split(','), ("vendor", "0x1d6b"), ("product_name", "*Hub*")));
    }

    [Fact]
    public void AnAliasValueItsKindCannotHoldIsRejectedEvenBesideARegisteredKind()
    {
        var errors = new List<string>();
        Assert.Null(ExecRule.TryCreate(Options(["NETDEV", "usb.device"], new ExecMatchOptions { NetdevEvent = "SIDEWAYS" }), errors));
        Assert.Equal(["Exec rule r: Match.NetdevEvent: 'SIDEWAYS' is not one of UP, DOWN, CHANGE, a number or a range N..M"], errors);
    }

    [Fact]
    public void ANullFieldPatternIsAbsentLikeANullAlias()
    {
        ExecRule rule = Rule(["NETDEV"], ("ifname", null));

        Assert.Empty(rule.Conditions);
        Assert.True(rule.Matches(TestEvents.Netdev("eth0")));
    }

    private static KernelEvent Example(uint n, string text, string addr) =>
        FieldEvents.Of(FieldEvents.Example, ("n", n), ("text", text), ("addr", IPAddress.Parse(addr)));

    private static ExecRuleOptions Options(string[] kinds, ExecMatchOptions match) =>
        new() { Name = "r", Kinds = kinds, Program = "/usr/bin/env", Match = match };

    private static ExecMatchOptions Fields(params (string Field, string? Pattern)[] fields) =>
        new() { Fields = fields.ToDictionary(f => f.Field, f => f.Pattern, StringComparer.Ordinal) };

    private static List<string> Errors(string[] kinds, params (string Field, string? Pattern)[] fields)
    {
        var errors = new List<string>();
        _ = ExecRule.TryCreate(Options(kinds, Fields(fields)), errors);
        return errors;
    }

    private static ExecRule Rule(string[] kinds, params (string Field, string? Pattern)[] fields) => RuleWith(kinds, Fields(fields));

    private static ExecRule RuleWith(string[] kinds, ExecMatchOptions match)
    {
        var errors = new List<string>();
        ExecRule? rule = ExecRule.TryCreate(Options(kinds, match), errors);
        Assert.True(rule is not null, string.Join("; ", errors));
        return rule;
    }
}
