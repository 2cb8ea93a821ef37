using EfdDaemon.Events;

namespace EfdDaemon.Tests.Plugins;

/// <summary>The test plugins loaded by the real host, events signalled on its eventfd.</summary>
[Collection(TestPluginsCollection.Name)]
public sealed class PluginHostTests(TestPluginsFixture plugins)
{
    // Module:Enabled=false: every wake-up is a SIGNAL event. The test plugins' handlers declare
    // TRIGGER in code; configuration replaces that with SIGNAL for all but one.
    private const string Config = """
        {
          "Handlers": {
            "GoodHandler": { "Kinds": ["SIGNAL"] },
            "ThrowingHandler": { "Kinds": ["SIGNAL"] },
            "HangingHandler": { "Kinds": ["SIGNAL"], "Timeout": "00:00:00.200", "QueueCapacity": 2 }
          },
          "Plugins": { "GoodPlugin": { "Greeting": "hi" } }
        }
        """;

    [RequiresRootFact("plugin files must be owned by root")]
    public async Task TheDaemonReportsEveryPluginsStateAndRunsOnlyTheLoadedOnes()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory(TestPluginsFixture.Plugins);
        await using var daemon = new InProcessDaemon(dir.Path, Config);

        await daemon.StartAsync();

        Assert.Equal(
            [
                ("ConflictingDependency", "Loaded"), ("GoodPlugin", "Loaded"), ("Hangs", "Loaded"),
                ("ThrowsOnLoad", "Failed"), ("ThrowsPerEvent", "Loaded"), ("WrongApi", "Refused"),
            ],
            daemon.Plugins.Select(p => (p.Name, p.State)).Order());
        Assert.Equal("InvalidOperationException: ThrowsOnLoad refuses to start", daemon.Plugins.Single(p => p.Name == "ThrowsOnLoad").Reason);
        Assert.Contains("2.0.0.0", daemon.Plugins.Single(p => p.Name == "WrongApi").Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(daemon.Dispatcher.Handlers, h => h.Name == "LeakedHandler");
        Assert.Contains(daemon.Logs.Entries, e => e.EventId == 4002 && e.Property("Plugin") == "WrongApi");
        Assert.Contains(daemon.Logs.Entries, e => e.EventId == 4003 && e.Property("Plugin") == "ThrowsOnLoad");
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public async Task AThrowingAndAHangingPluginHandlerNeitherStopTheOthersNorThemselves()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory("GoodPlugin", "ThrowsPerEvent", "Hangs");
        await using var daemon = new InProcessDaemon(dir.Path, Config, "--Daemon:ShutdownTimeout=00:00:00.500");
        await daemon.StartAsync();

        daemon.Signal();
        await daemon.Probe.WaitForAsync("GoodHandler hi SIGNAL");
        await daemon.Logs.WaitForAsync(e => e.EventId == 5002 && e.Property("Handler") == "HangingHandler");
        await daemon.Logs.WaitForAsync(e => e.EventId == 5001 && e.Property("Handler") == "ThrowingHandler");
        daemon.Signal();
        await daemon.Logs.WaitForAsync(e => e.EventId == 5001 && e.Property("Handler") == "ThrowingHandler" && CountOf(daemon, "ThrowingHandler") == 2);
        await daemon.Probe.WaitForAsync("GoodHandler hi SIGNAL", occurrence: 2); // its own consumer: not ordered with the thrower's

        Assert.Equal(2, daemon.Probe.Lines.Count(l => l.StartsWith("GoodHandler hi SIGNAL", StringComparison.Ordinal)));
        HandlerSnapshot throwing = Snapshot(daemon, "ThrowingHandler");
        Assert.Equal(2, throwing.Failures);
        Assert.True(Snapshot(daemon, "HangingHandler").Timeouts >= 1);
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public async Task PluginHandlersGetTheirKindsFromCodeUnlessConfigurationReplacesThem()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory("GoodPlugin", "ThrowsPerEvent");
        await using var daemon = new InProcessDaemon(dir.Path, """{ "Handlers": { "GoodHandler": { "Kinds": ["SIGNAL", "TRIGGER"] } } }""");
        await daemon.StartAsync();

        daemon.Signal();
        await daemon.Probe.WaitForAsync("GoodHandler (none) SIGNAL");

        Assert.Equal([EventKind.Signal, EventKind.Trigger], Snapshot(daemon, "GoodHandler").Settings.Kinds.Kinds);
        Assert.Equal([EventKind.Trigger], Snapshot(daemon, "ThrowingHandler").Settings.Kinds.Kinds); // declared in code
        Assert.DoesNotContain(daemon.Probe.Lines, l => l.StartsWith("ThrowingHandler", StringComparison.Ordinal));
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public async Task APluginCarryingItsOwnDependencyVersionRunsInTheRealHost()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory("ConflictingDependency");
        await using var daemon = new InProcessDaemon(dir.Path);
        await daemon.StartAsync();

        daemon.Signal();

        Assert.Equal("DependencyVersionHandler 2.0.0.0 0", await daemon.Probe.WaitForAsync("DependencyVersionHandler"));
        Assert.Equal("1.0.0.0", Efd.TestDependency.Marker.Version);
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public async Task TheRateAlertSamplePluginWarnsThroughTheDaemonsLog()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory("RateAlert");
        await using var daemon = new InProcessDaemon(dir.Path, """
            { "Plugins": { "RateAlert": { "Threshold": 1, "Window": "01:00:00", "Kinds": ["SIGNAL"] } } }
            """, "--Daemon:EventfdMode=Semaphore"); // one event per signal, however close together
        await daemon.StartAsync();

        daemon.Signal();
        daemon.Signal();

        LogEntry warning = await daemon.Logs.WaitForAsync(e => e.Category == "EfdDaemon.Plugins.RateAlert.RateAlertHandler");
        Assert.Equal((Microsoft.Extensions.Logging.LogLevel.Warning, "SIGNAL", "2"), (warning.Level, warning.Property("Kind"), warning.Property("Count")));
        Assert.Equal(("RateAlert", "Loaded"), daemon.Plugins.Select(p => (p.Name, p.State)).Single());
    }

    private static HandlerSnapshot Snapshot(InProcessDaemon daemon, string name) =>
        daemon.Dispatcher.Snapshot().Single(h => h.Name == name);

    private static long CountOf(InProcessDaemon daemon, string name) => Snapshot(daemon, name).Failures;
}
