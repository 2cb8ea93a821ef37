using EfdDaemon.Configuration;
using EfdDaemon.Control;
using EfdDaemon.Events;
using EfdDaemon.Handlers.Exec;
using EfdDaemon.Kernel;

namespace EfdDaemon.Tests.Configuration;

public sealed class UnknownKeyFinderTests
{
    private static readonly UnknownKeyFinder Finder = new(Schema());

    [Theory]
    [InlineData("Module:Netdv", "Module:Netdv", "Module:Netdev")]
    [InlineData("module:ntedev", "module:ntedev", "Module:Netdev")]
    [InlineData("Modul:Enabled", "Modul", "Module")]
    [InlineData("Daemon:MaxControlConection", "Daemon:MaxControlConection", "Daemon:MaxControlConnections")]
    [InlineData("Exec:Rules:3:Programm", "Exec:Rules:3:Programm", "Exec:Rules:3:Program")]
    [InlineData("Exec:Rules:3:Match:Iface", "Exec:Rules:3:Match:Iface", "Exec:Rules:3:Match:Interface")]
    [InlineData("Exec:Rules:first", "Exec:Rules:first", "Exec:Rules:0")]
    [InlineData("Module:Netdev:Extra", "Module:Netdev:Extra", "Module:Netdev")]
    public void AMisspeltKeyIsReportedAtItsFirstUnknownPartWithTheNearestKnownKey(string key, string reported, string nearest)
    {
        UnknownKey? unknown = Finder.Check(new ConfiguredKey("a.json", key));

        Assert.NotNull(unknown);
        Assert.Equal(reported, unknown.Key);
        Assert.Equal(nearest, unknown.Nearest);
        Assert.Equal("a.json", unknown.Origin);
    }

    [Theory]
    [InlineData("Module:Netdev")]
    [InlineData("daemon:rundirectory")]
    [InlineData("Daemon:ControlIdleTimeout")]
    [InlineData("Daemon:PluginDirectories:1")]
    [InlineData("Exec:Rules:0:Arguments:2")]
    [InlineData("Handlers:LogHandler:Kinds:0")]
    [InlineData("Plugins:RateAlert:Enabled")]
    [InlineData("Plugins:RateAlert:ThresholdPerSecond")]
    public void KeysTheDaemonOrAPluginReadsAreNotReported(string key) =>
        Assert.Null(Finder.Check(new ConfiguredKey("a.json", key)));

    [Fact]
    public void AHandlerSectionThatMatchesNoHandlerNamesTheKnownOnes()
    {
        UnknownKey unknown = Finder.Check(new ConfiguredKey("/etc/efd-daemon/conf.d/50-x.json", "Handlers:LogHandlr:QueueCapacity"))!;

        Assert.Equal(
            "/etc/efd-daemon/conf.d/50-x.json: 'Handlers:LogHandlr' matches no handler (known: ExecHandler, LogHandler; did you mean 'Handlers:LogHandler'?)",
            unknown.ToString());
    }

    [Fact]
    public void APluginSectionThatMatchesNoPluginNamesTheKnownOnes()
    {
        UnknownKey unknown = Finder.Check(new ConfiguredKey("command line (--Plugins:RateAlrt:Enabled)", "Plugins:RateAlrt:Enabled"))!;

        Assert.Equal("command line (--Plugins:RateAlrt:Enabled): 'Plugins:RateAlrt' matches no plugin (known: RateAlert; did you mean 'Plugins:RateAlert'?)", unknown.ToString());
    }

    [Fact]
    public void EachUnknownKeyIsReportedOncePerOriginEvenWithManyKeysBelowIt()
    {
        IReadOnlyList<UnknownKey> found = Finder.Find(
        [
            new("a.json", "Modul"), new("a.json", "Modul:Enabled"), new("a.json", "Modul:Netdev"),
            new("b.json", "Modul:Enabled"), new("b.json", "Module:Enabled"),
        ]);

        Assert.Equal(["a.json: unknown key 'Modul' (did you mean 'Module'?)", "b.json: unknown key 'Modul' (did you mean 'Module'?)"], found.Select(k => k.ToString()));
    }

    [Theory]
    [InlineData("Netdev", "Netdv", 1)]
    [InlineData("Netdev", "Ntedev", 1)]
    [InlineData("Netdev", "NETDEV", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void EditDistanceCountsInsertionsDeletionsSubstitutionsAndSwapsIgnoringCase(string a, string b, int distance) =>
        Assert.Equal(distance, EditDistance.Between(a, b));

    private static KnownKeyNode Schema()
    {
        KnownKeyNode root = KnownKeyNode.Leaf();
        root.Add(DaemonOptions.SectionName, KnownKeyNode.FromType(typeof(DaemonOptions)));
        root.Add(ControlSocketOptions.SectionName, KnownKeyNode.FromType(typeof(ControlSocketOptions)));
        root.Add(ModuleOptions.SectionName, KnownKeyNode.FromType(typeof(ModuleOptions)));
        root.Add(ExecOptions.SectionName, KnownKeyNode.FromType(typeof(ExecOptions)));
        root.Add(HandlerOptions.SectionName, KnownKeyNode.Named("handler", ["LogHandler", "ExecHandler"], () => KnownKeyNode.FromType(typeof(HandlerOptions))));
        root.Add(EfdDaemon.Plugins.PluginCatalog.SectionName, KnownKeyNode.Named("plugin", ["RateAlert"], () => KnownKeyNode.Open(EfdDaemon.Plugins.PluginCatalog.EnabledKey)));
        return root;
    }
}
