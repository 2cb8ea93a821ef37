using EfdCtl.Cli;

namespace EfdCtl.Tests;

public sealed class CommandLineParserTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static CtlCommand Parse(params string[] args) => CommandLineParser.Parse(args, NoEnvironment);

    private static CtlException Rejects(params string[] args)
    {
        var e = Assert.Throws<CtlException>(() => Parse(args));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        return e;
    }

    [Fact]
    public void DefaultsPointAtTheInstalledLayout()
    {
        CtlCommand c = Parse("status");
        Assert.Equal(CommandKind.Status, c.Kind);
        Assert.Equal("/run/efd-daemon", c.RunDirectory);
        Assert.Equal("/sys/kernel/efd_lkm", c.SysfsDirectory);
        Assert.False(c.Json);
    }

    [Fact]
    public void EnvironmentOverridesDefaultsAndOptionsOverrideEnvironment()
    {
        var env = new Dictionary<string, string> { ["EFD_RUN_DIR"] = "/env/run", ["EFD_SYSFS"] = "/env/sys" };
        CtlCommand fromEnv = CommandLineParser.Parse(["status"], n => env.GetValueOrDefault(n));
        Assert.Equal("/env/run", fromEnv.RunDirectory);
        Assert.Equal("/env/sys", fromEnv.SysfsDirectory);

        CtlCommand fromOptions = CommandLineParser.Parse(["--run-dir", "/opt/run", "status", "--sysfs=/opt/sys"], n => env.GetValueOrDefault(n));
        Assert.Equal("/opt/run", fromOptions.RunDirectory);
        Assert.Equal("/opt/sys", fromOptions.SysfsDirectory);
    }

    [Fact]
    public void GlobalOptionsMayFollowTheCommand()
    {
        CtlCommand c = Parse("status", "--json", "--run-dir", "/x");
        Assert.True(c.Json);
        Assert.Equal("/x", c.RunDirectory);
    }

    [Fact]
    public void SignalDefaultsToOneAndTakesACount()
    {
        Assert.Equal(1UL, Parse("signal").SignalCount);
        Assert.Equal(3UL, Parse("signal", "3").SignalCount);
        Assert.Equal(ulong.MaxValue - 1, Parse("signal", "18446744073709551614").SignalCount);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("18446744073709551615")]
    public void SignalRejectsACountThatIsNotFromOneToTheCounterMaximum(string n)
    {
        Assert.Contains("N must be a whole number", Rejects("signal", n).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckConfigTakesAnOptionalFile()
    {
        Assert.Null(Parse("check-config").ConfigFile);
        Assert.Equal("/tmp/x.json", Parse("check-config", "/tmp/x.json").ConfigFile);
    }

    [Fact]
    public void ListenReadsKindsByNameNumberOrUserRangeAndSendsCanonicalNames()
    {
        CtlCommand c = Parse("listen", "--kind", "netdev", "--kind=trigger,0x1234", "--kind", "5");
        Assert.Equal(["NETDEV", "TRIGGER", "USER_0x1234", "TICK"], c.Kinds);
    }

    [Fact]
    public void UnknownKindIsAUsageError()
    {
        Assert.Contains("unknown event kind 'BOGUS'", Rejects("listen", "--kind", "BOGUS").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "no command given")]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "status", "--frob" }, "unknown option '--frob'")]
    [InlineData(new[] { "status", "extra" }, "unexpected argument 'extra' for 'status'")]
    [InlineData(new[] { "signal", "1", "2" }, "unexpected argument '2' for 'signal'")]
    [InlineData(new[] { "signal", "--json" }, "--json is not valid with 'signal'")]
    [InlineData(new[] { "status", "--kind", "TRIGGER" }, "--kind is only valid with 'listen'")]
    [InlineData(new[] { "status", "--run-dir" }, "option '--run-dir' needs a value")]
    [InlineData(new[] { "status", "--run-dir=" }, "option '--run-dir' needs a value")]
    [InlineData(new[] { "status", "--json=yes" }, "option '--json' takes no value")]
    public void MistakesAreUsageErrorsThatSayWhatIsWrong(string[] args, string message)
    {
        Assert.Equal(message, Rejects(args).Message);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void HelpAnywhereOnTheLineShowsHelp(string flag)
    {
        Assert.Equal(CommandKind.Help, Parse("signal", "7", flag).Kind);
    }

    [Fact]
    public void HelpIsAlsoACommand()
    {
        Assert.Equal(CommandKind.Help, Parse("help").Kind);
    }

    [Fact]
    public void VersionNeedsNoCommand()
    {
        Assert.Equal(CommandKind.Version, Parse("--version").Kind);
    }
}
