using EfdDaemon.Handlers.Exec;

namespace EfdDaemon.Tests.Handlers.Exec;

public sealed class ExecRuleValidationTests
{
    [Fact]
    public void AValidRuleSetCompilesWithTheUnionOfItsKinds()
    {
        ExecRuleSet? set = ExecRuleSet.From(Options(Rule("a", "NETDEV"), Rule("b", "MODULE", "USER_0x1234")), out IReadOnlyList<string> errors);

        Assert.Empty(errors);
        Assert.Equal([EventKind.Netdev, EventKind.Module, (EventKind)0x1234], set!.Kinds);
    }

    [Theory]
    [InlineData("Program", "usr/bin/env", "Exec rule r: Program: 'usr/bin/env' is not an absolute path (there is no PATH lookup)")]
    [InlineData("Program", "/nonexistent/efd-program", "Exec rule r: Program: /nonexistent/efd-program does not exist or is a directory")]
    [InlineData("Program", "/etc/passwd", "Exec rule r: Program: /etc/passwd is not executable")]
    [InlineData("Kind", "BOGUS", "Exec rule r: Kinds: 'BOGUS' is not an event kind (a name such as NETDEV or usb.device, USER_0x1234, or a number from 0x1000)")]
    [InlineData("Interface", "eth[0-", "Exec rule r: Match.Interface: 'eth[0-' has a '[' without its ']'")]
    [InlineData("NetdevEvent", "SIDEWAYS", "Exec rule r: Match.NetdevEvent: 'SIDEWAYS' is not one of UP, DOWN, CHANGE, a number or a range N..M")]
    [InlineData("User", "no-such-user-efd", "Exec rule r: User: no user 'no-such-user-efd'")]
    public void AnInvalidRuleIsRejectedWithOneClearLine(string field, string value, string expected)
    {
        ExecRuleOptions rule = Rule("r", "NETDEV");
        switch (field)
        {
            case "Program": rule.Program = value; break;
            case "Kind": rule.Kinds = [value]; break;
            case "Interface": rule.Match = new ExecMatchOptions { Interface = value }; break;
            case "NetdevEvent": rule.Match = new ExecMatchOptions { NetdevEvent = value }; break;
            case "User": rule.User = value; break;
        }

        Assert.Null(ExecRuleSet.From(Options(rule), out IReadOnlyList<string> errors));
        Assert.Contains(expected, errors);
    }

    [Fact]
    public void AnInterfaceMatchOnARuleWithoutNetdevCouldNeverMatchAndIsRejected()
    {
        ExecRuleOptions rule = Rule("r", "MODULE");
        rule.Match = new ExecMatchOptions { Interface = "eth*" };

        Assert.Null(ExecRuleSet.From(Options(rule), out IReadOnlyList<string> errors));
        Assert.Equal(["Exec rule r: Match.Interface applies to NETDEV events only: add NETDEV to Kinds"], errors);
    }

    [Fact]
    public void AZeroTimeoutNoKindsAndDuplicateNamesAreRejected()
    {
        ExecRuleOptions zero = Rule("same", "TRIGGER");
        zero.Timeout = TimeSpan.Zero;
        ExecRuleOptions noKinds = Rule("same", "TRIGGER");
        noKinds.Kinds = [];

        Assert.Null(ExecRuleSet.From(Options(zero, noKinds), out IReadOnlyList<string> errors));
        Assert.Contains(errors, e => e.Contains("Timeout", StringComparison.Ordinal));
        Assert.Contains("Exec rule same: Kinds: at least one kind is required", errors);
        Assert.Contains("Exec rule same: the name is used by 2 rules; names must be unique", errors);
    }

    [Fact]
    public void AConcurrencyLimitBelowOneIsRejected()
    {
        ExecOptions options = Options(Rule("r", "TRIGGER"));
        options.MaxConcurrency = 0;

        Assert.Null(ExecRuleSet.From(options, out IReadOnlyList<string> errors));
        Assert.Contains(errors, e => e.Contains("MaxConcurrency", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dummy*", "dummy0", true)]
    [InlineData("dummy*", "eth0", false)]
    [InlineData("eth?", "eth1", true)]
    [InlineData("eth?", "eth10", false)]
    [InlineData("wl[a-z]*", "wlp2s0", true)]
    [InlineData("eth[!0-3]", "eth5", true)]
    [InlineData("eth[!0-3]", "eth2", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData(@"a\*", "a*", true)]
    [InlineData("*", "x\ny", true)]
    public void GlobsMatchLikeTheShell(string pattern, string text, bool matches)
    {
        Assert.Equal(matches, Glob.TryParse(pattern, out _)!.IsMatch(text));
    }

    private static ExecOptions Options(params ExecRuleOptions[] rules) => new() { Rules = [.. rules] };

    private static ExecRuleOptions Rule(string name, params string[] kinds) =>
        new() { Name = name, Kinds = kinds, Program = "/usr/bin/env" };
}
