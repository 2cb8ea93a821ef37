using System.CommandLine;
using EfdCtl.Cli;
using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

public sealed class CtlCommandLineTests
{
    private static CtlContext WithEnvironment(Func<string, string?> environment) =>
        new() { Out = TextWriter.Null, Error = TextWriter.Null, GetEnvironmentVariable = environment };

    private static readonly CtlContext NoEnvironment = WithEnvironment(_ => null);

    private static ParseResult ParseOnly(params string[] args) => new CtlCommandLine(NoEnvironment).Parse(args);

    /// <summary>The command chosen and what it receives; fails on a parse error.</summary>
    private static (string Name, CtlCommand Options) Parse(CtlContext context, params string[] args)
    {
        var commandLine = new CtlCommandLine(context);
        ParseResult parsed = commandLine.Parse(args);
        Assert.Empty(parsed.Errors);
        return (parsed.CommandResult.Command.Name, commandLine.Bind(parsed));
    }

    private static (string Name, CtlCommand Options) Parse(params string[] args) => Parse(NoEnvironment, args);

    [Fact]
    public void DefaultsPointAtTheInstalledLayout()
    {
        (string name, CtlCommand c) = Parse("status");
        Assert.Equal("status", name);
        Assert.Equal("/run/efd-daemon", c.RunDirectory);
        Assert.Equal("/sys/kernel/efd_lkm", c.SysfsDirectory);
        Assert.False(c.Json);
    }

    [Fact]
    public void EnvironmentOverridesDefaultsAndOptionsOverrideEnvironment()
    {
        var env = new Dictionary<string, string> { ["EFD_RUN_DIR"] = "/env/run", ["EFD_SYSFS"] = "/env/sys" };
        CtlContext context = WithEnvironment(n => env.GetValueOrDefault(n));
        CtlCommand fromEnv = Parse(context, "status").Options;
        Assert.Equal("/env/run", fromEnv.RunDirectory);
        Assert.Equal("/env/sys", fromEnv.SysfsDirectory);

        CtlCommand fromOptions = Parse(context, "--run-dir", "/opt/run", "status", "--sysfs=/opt/sys").Options;
        Assert.Equal("/opt/run", fromOptions.RunDirectory);
        Assert.Equal("/opt/sys", fromOptions.SysfsDirectory);
    }

    [Fact]
    public void AnEmptyEnvironmentVariableLeavesTheDefault()
    {
        CtlCommand c = Parse(WithEnvironment(_ => ""), "status").Options;
        Assert.Equal("/run/efd-daemon", c.RunDirectory);
        Assert.Equal("/sys/kernel/efd_lkm", c.SysfsDirectory);
    }

    [Fact]
    public void GlobalOptionsMayFollowTheCommand()
    {
        CtlCommand c = Parse("status", "--json", "--run-dir", "/x").Options;
        Assert.True(c.Json);
        Assert.Equal("/x", c.RunDirectory);
    }

    [Fact]
    public void ListenTakesJsonToo()
    {
        Assert.True(Parse("listen", "--json").Options.Json);
    }

    [Fact]
    public void SignalDefaultsToOneAndTakesACount()
    {
        Assert.Equal(1UL, Parse("signal").Options.SignalCount);
        Assert.Equal(3UL, Parse("signal", "3").Options.SignalCount);
        Assert.Equal(ulong.MaxValue - 1, Parse("signal", "18446744073709551614").Options.SignalCount);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("18446744073709551615")]
    public void SignalRejectsACountThatIsNotFromOneToTheCounterMaximum(string n)
    {
        ParseResult parsed = ParseOnly("signal", n);
        Assert.Equal(
            $"signal: N must be a whole number from 1 to 18446744073709551614, not '{n}'",
            UsageError.Pick(parsed).Message);
    }

    [Fact]
    public void CheckConfigTakesAnOptionalFile()
    {
        Assert.Null(Parse("check-config").Options.ConfigFile);
        Assert.Equal("/tmp/x.json", Parse("check-config", "/tmp/x.json").Options.ConfigFile);
        Assert.Equal("-", Parse("check-config", "-").Options.ConfigFile);
    }

    [Fact]
    public void ListenReadsKindsByNameNumberOrUserRangeAndSendsCanonicalNames()
    {
        CtlCommand c = Parse("listen", "--kind", "netdev", "--kind=trigger,0x1234", "--kind", "5", "--kind", "ifaddr,KIND").Options;
        Assert.Equal(["NETDEV", "TRIGGER", "USER_0x1234", "TICK", "IFADDR", "KIND"], c.Kinds);
    }

    [Fact]
    public void ListenSendsARegisteredKindsNameAsWrittenAndItsNumberByItsCanonicalName()
    {
        CtlCommand c = Parse("listen", "--kind", "usb.device,efd_lkm_example.tick", "--kind", "0x10000", "--kind", "65537").Options;
        Assert.Equal(["usb.device", "efd_lkm_example.tick", "REGISTERED_0x10000", "REGISTERED_0x10001"], c.Kinds);
    }

    /// <summary>Each form a kind may take on the command line, as <c>listen</c> sends it, or null for a usage error.</summary>
    [Theory]
    [InlineData("NETDEV", "NETDEV")]
    [InlineData(" pm ", "PM")]
    [InlineData("0", "SIGNAL")]
    [InlineData("0xb", "KIND")]
    [InlineData("USER_0x1234", "USER_0x1234")]
    [InlineData("user_0x1234", "USER_0x1234")]
    [InlineData("4096", "USER_0x1000")]
    [InlineData("0xFFFF", "USER_0xFFFF")]
    [InlineData("REGISTERED_0x10000", "REGISTERED_0x10000")]
    [InlineData("usb.device", "usb.device")]
    [InlineData("a_b.c9", "a_b.c9")]
    [InlineData("usb.Device", null)]        // registered names are lower case; built-in names are any case
    [InlineData("usb-device", null)]
    [InlineData("usb device", null)]
    [InlineData("12", null)]                 // a number outside every range is not a name
    [InlineData("0x999", null)]
    [InlineData("0x", null)]
    [InlineData("USER_0x", null)]
    [InlineData("BOGUS", null)]
    public void AKindIsANameANumberInARangeOrARegisteredName(string text, string? sent)
    {
        Assert.Equal(sent, EventKindsParser.TryParse(text.Trim()));
    }

    [Fact]
    public void ARegisteredNameLongerThanTheKernelAllowsIsAUsageError()
    {
        Assert.Equal("x", EventKindsParser.TryParse("x"));
        Assert.NotNull(EventKindsParser.TryParse(new string('a', 63)));
        Assert.Null(EventKindsParser.TryParse(new string('a', 64)));
    }

    [Fact]
    public void ListenWithoutKindsListensToEveryKind()
    {
        Assert.Empty(Parse("listen").Options.Kinds);
    }

    [Fact]
    public void UnknownKindIsAUsageError()
    {
        Assert.Equal(
            "unknown event kind 'BOGUS' (a built-in name such as NETDEV, a registered name such as usb.device, USER_0x1234, or a kind number)",
            UsageError.Pick(ParseOnly("listen", "--kind", "TRIGGER,BOGUS")).Message);
        Assert.Equal(
            "unknown event kind 'Usb.Device' (a built-in name such as NETDEV, a registered name such as usb.device, USER_0x1234, or a kind number)",
            UsageError.Pick(ParseOnly("listen", "--kind", "usb.device,Usb.Device")).Message);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public void HelpAnywhereOnTheLineShowsHelpOfTheCommandBeforeIt(string flag)
    {
        ParseResult parsed = ParseOnly("signal", "7", flag);
        Assert.Empty(parsed.Errors);
        Assert.IsType<HelpWithExitStatusAction>(parsed.Action);
        Assert.Equal("signal", parsed.CommandResult.Command.Name);
    }

    [Fact]
    public void HelpIsAlsoACommand()
    {
        Assert.Equal("help", Parse("help").Name);
    }

    [Fact]
    public void VersionNeedsNoCommand()
    {
        ParseResult parsed = ParseOnly("--version");
        Assert.Empty(parsed.Errors);
        Assert.IsType<VersionAction>(parsed.Action);
    }
}
