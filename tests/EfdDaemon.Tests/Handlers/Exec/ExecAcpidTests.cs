using EfdDaemon.Events;
using EfdDaemon.Handlers.Exec;
using EfdDaemon.Tests.Support;

namespace EfdDaemon.Tests.Handlers.Exec;

/// <summary>Moving from acpid: <c>Match.Acpid</c> (acpid's <c>event=</c>), <c>AcpidArguments</c> (its <c>%e</c>) and <c>EFD_ACPID_EVENT</c>.</summary>
public sealed class ExecAcpidTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly KernelEvent PowerPress = Input(116, 1);
    private static readonly KernelEvent PowerRelease = Input(116, 0);
    private static readonly KernelEvent LidClose = FieldEvents.Of(EventKind.Input, ("device", "Lid Switch"), ("type", 5), ("code", 0), ("value", 1));
    private static readonly KernelEvent AcOffline =
        FieldEvents.Of(EventKind.Power, ("name", "AC"), ("type", 3), ("online", 0), ("status", -1), ("capacity", -1), ("parent", "ACPI0003:00"));

    [Theory]
    [InlineData("^button/power ", true, false, false, false)]
    [InlineData("button/power.*", true, false, false, false)]
    [InlineData("button/lid LID close", false, false, true, false)]
    [InlineData("^button/lid", false, false, true, false)]
    [InlineData("ac_adapter", false, false, false, true)]
    [InlineData("ac_adapter .* 00000000$", false, false, false, true)]
    [InlineData("ac_adapter .* 00000001$", false, false, false, false)]
    [InlineData(".*", true, false, true, true)] // a release has no acpid string: never matched
    public void MatchAcpidSearchesTheEventStringOfEventsAcpidEmits(string pattern, bool press, bool release, bool lid, bool ac)
    {
        ExecRule rule = Rule(new ExecRuleOptions { Kinds = ["INPUT", "POWER"], Match = new ExecMatchOptions { Acpid = pattern } });

        Assert.Equal((press, release, lid, ac), (rule.Matches(PowerPress), rule.Matches(PowerRelease), rule.Matches(LidClose), rule.Matches(AcOffline)));
    }

    [Fact]
    public void AcpidArgumentsAloneRunsForEveryEventAcpidEmitsAndAppendsItsTokens()
    {
        ExecRule rule = Rule(new ExecRuleOptions { Kinds = ["INPUT"], Arguments = ["--from-efd"], AcpidArguments = true });

        Assert.True(rule.Matches(PowerPress));
        Assert.False(rule.Matches(PowerRelease));
        Assert.Equal(["/bin/true", "--from-efd", "button/power", "PBTN", "00000080", "00000000"], rule.CommandLineFor(AcpidEvent.Format(PowerPress)));
    }

    [Fact]
    public void WithoutAcpidArgumentsTheCommandLineIsTheConfiguredOne()
    {
        ExecRule rule = Rule(new ExecRuleOptions { Kinds = ["INPUT"], Arguments = ["a"] });

        Assert.True(rule.Matches(PowerRelease)); // no acpid option: every INPUT event
        Assert.Equal(["/bin/true", "a"], rule.CommandLineFor(AcpidEvent.Format(PowerPress)));
    }

    [Fact]
    public void AFieldConditionNamesTheKeyAsTheKernelDoes()
    {
        ExecRule rule = Rule(new ExecRuleOptions
        {
            Kinds = ["INPUT"],
            Match = new ExecMatchOptions { Fields = new() { ["code"] = "KEY_POWER", ["value"] = "1" } },
        });

        Assert.Equal((true, false, false), (rule.Matches(PowerPress), rule.Matches(PowerRelease), rule.Matches(LidClose)));
    }

    [Theory]
    [InlineData(new[] { "NETDEV" }, "button/power", false, "Match.Acpid: only INPUT and POWER events have acpid event strings: add INPUT or POWER to Kinds")]
    [InlineData(new[] { "usb.device" }, null, true, "AcpidArguments: only INPUT and POWER events have acpid event strings: add INPUT or POWER to Kinds")]
    [InlineData(new[] { "INPUT" }, "", false, "Match.Acpid: the pattern is empty (leave the key out to match any acpid event)")]
    [InlineData(new[] { "INPUT" }, "button/(power", false, "Match.Acpid: 'button/(power' is not a regular expression: ")]
    [InlineData(new[] { "INPUT" }, "(a)\\1", false, "Match.Acpid: '(a)\\1' uses what an extended regular expression lacks: ")]
    public void AnAcpidOptionThatCannotMatchIsRefusedWithTheReason(string[] kinds, string? pattern, bool arguments, string error)
    {
        var errors = new List<string>();

        ExecRule? rule = ExecRule.TryCreate(
            new ExecRuleOptions { Name = "r", Kinds = kinds, Match = new ExecMatchOptions { Acpid = pattern }, AcpidArguments = arguments, Program = "/bin/true" },
            errors);

        Assert.Null(rule);
        Assert.StartsWith($"Exec rule r: {error}", Assert.Single(errors), StringComparison.Ordinal);
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task AnAcpidScriptGetsTheEventAsItsArgumentsAndInEfdAcpidEventOncePerPress()
    {
        using var dir = new TempDirectory();
        string dumper = Scripts.WriteDumper(dir);
        await using var exec = new ExecFixture(4, new ExecRuleOptions
        {
            Name = "powerbtn",
            Kinds = ["INPUT"],
            Match = new ExecMatchOptions { Acpid = "^button/power " },
            Program = dumper,
            Arguments = [dir.Path],
            AcpidArguments = true,
        });

        await exec.Handler.HandleAsync(PowerPress, None);
        await exec.Handler.HandleAsync(PowerRelease, None);
        await exec.Handler.HandleAsync(LidClose, None);
        Assert.Single(await exec.WaitForRunsAsync(1));

        Assert.Equal([dumper, dir.Path, "button/power", "PBTN", "00000080", "00000000"], Scripts.ReadNulSeparated(Path.Combine(dir.Path, "argv")));
        Assert.Contains("EFD_ACPID_EVENT=button/power PBTN 00000080 00000000", Scripts.ReadNulSeparated(Path.Combine(dir.Path, "env")));
        Assert.Single(exec.Results); // the release and the lid ran nothing
    }

    [Fact]
    public void TheEnvironmentHasEfdAcpidEventOnlyWhenAcpidWouldHaveEmittedOne()
    {
        Assert.Contains("EFD_ACPID_EVENT=ac_adapter ACPI0003:00 00000080 00000000", ExecEnvironment.Build(AcOffline, "r", AcpidEvent.Format(AcOffline)));
        Assert.DoesNotContain(ExecEnvironment.Build(PowerRelease, "r", AcpidEvent.Format(PowerRelease)), v => v.StartsWith("EFD_ACPID_EVENT=", StringComparison.Ordinal));
    }

    private static KernelEvent Input(int code, int value) =>
        FieldEvents.Of(EventKind.Input, ("device", "Power Button"), ("type", 1), ("code", code), ("value", value));

    private static ExecRule Rule(ExecRuleOptions o)
    {
        o.Name ??= "r";
        o.Program ??= "/bin/true";
        var errors = new List<string>();
        ExecRule? rule = ExecRule.TryCreate(o, errors);
        Assert.True(rule is not null, string.Join("; ", errors));
        return rule;
    }
}
