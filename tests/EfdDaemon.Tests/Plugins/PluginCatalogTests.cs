using Efd.TestDependency;
using EfdDaemon.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Tests.Plugins;

[Collection(TestPluginsCollection.Name)]
public sealed class PluginCatalogTests(TestPluginsFixture plugins)
{
    [RequiresRootFact("plugin files must be owned by root")]
    public async Task GoodPluginIsLoadedWithItsOwnConfigSectionAndItsHandlerSharesTheHostsContract()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory("GoodPlugin");
        var services = new ServiceCollection();
        var probe = new Probe();
        services.AddSingleton<IProgress<string>>(probe);

        IReadOnlyList<PluginLoadResult> results = Load(services, [dir.Path], ("Plugins:GoodPlugin:Greeting", "hello"));

        PluginLoadResult result = Assert.Single(results);
        Assert.Equal(("GoodPlugin", PluginState.Loaded, (string?)null), (result.Name, result.State, result.Reason));
        using ServiceProvider provider = services.BuildServiceProvider();
        IEventHandler handler = Assert.Single(provider.GetServices<IEventHandler>());
        Assert.Equal("GoodHandler", handler.Name);
        Assert.Equal([EventKind.Trigger], handler.Kinds);
        await handler.HandleAsync(new KernelEvent(7, EventKind.Trigger, 1, 0, DateTimeOffset.UnixEpoch, new byte[8]), CancellationToken.None);
        Assert.Equal("GoodHandler hello TRIGGER 7", await probe.WaitForAsync("GoodHandler"));
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public async Task APluginCarriesItsOwnVersionOfADependencyTheHostAlsoLoaded()
    {
        Assert.Equal("1.0.0.0", Marker.Version); // the host's copy, in the default context
        using TempDirectory dir = plugins.CreatePluginDirectory("ConflictingDependency");
        var services = new ServiceCollection();
        var probe = new Probe();
        services.AddSingleton<IProgress<string>>(probe);

        PluginLoadResult result = Assert.Single(Load(services, [dir.Path]));

        Assert.Equal(PluginState.Loaded, result.State);
        using ServiceProvider provider = services.BuildServiceProvider();
        await Assert.Single(provider.GetServices<IEventHandler>()).HandleAsync(default, CancellationToken.None);
        Assert.Equal("DependencyVersionHandler 2.0.0.0 0", await probe.WaitForAsync("DependencyVersionHandler"));
        Assert.Equal("1.0.0.0", Marker.Version);
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public void APluginThatThrowsInRegistrationFailsWithItsReasonAndLeavesNothingInTheContainer()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory("ThrowsOnLoad", "GoodPlugin");
        var services = new ServiceCollection();

        IReadOnlyList<PluginLoadResult> results = Load(services, [dir.Path]);

        PluginLoadResult failed = results.Single(r => r.Name == "ThrowsOnLoad");
        Assert.Equal(PluginState.Failed, failed.State);
        Assert.Equal("InvalidOperationException: ThrowsOnLoad refuses to start", failed.Reason);
        Assert.Equal(PluginState.Loaded, results.Single(r => r.Name == "GoodPlugin").State);
        Assert.DoesNotContain(services, d => d.ImplementationType?.Name == "LeakedHandler" || d.ServiceType.Name == "LeakedHandler");
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Equal(["GoodHandler"], provider.GetServices<IEventHandler>().Select(h => h.Name));
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public void APluginBuiltAgainstAnotherApiMajorIsRefusedNamingBothVersions()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory("WrongApi");
        var services = new ServiceCollection();

        PluginLoadResult result = Assert.Single(Load(services, [dir.Path]));

        Assert.Equal(PluginState.Refused, result.State);
        Assert.Equal(
            $"it was built against plugin API {EfdApi.Version.Major + 1}.0.0.0 (EfdDaemon.Abstractions) and this daemon provides {EfdApi.Version}: the major versions differ",
            result.Reason);
        Assert.Empty(services);
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public void APluginDisabledInConfigurationIsNotLoaded()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory("GoodPlugin");
        var services = new ServiceCollection();

        PluginLoadResult result = Assert.Single(Load(services, [dir.Path], ("Plugins:GoodPlugin:Enabled", "false")));

        Assert.Equal((PluginState.Disabled, "Plugins:GoodPlugin:Enabled is false"), (result.State, result.Reason));
        Assert.Empty(services);
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public void APluginInALaterDirectoryOverridesOneOfTheSameNameAndTheOverriddenOneIsReported()
    {
        using TempDirectory packaged = plugins.CreatePluginDirectory("GoodPlugin");
        using TempDirectory local = plugins.CreatePluginDirectory("GoodPlugin");
        var services = new ServiceCollection();

        IReadOnlyList<PluginLoadResult> results = Load(services, [packaged.Path, local.Path]);

        Assert.Equal(2, results.Count);
        PluginLoadResult loaded = results.Single(r => r.State == PluginState.Loaded);
        PluginLoadResult overridden = results.Single(r => r.State == PluginState.Disabled);
        Assert.Equal(Path.Combine(local.Path, "GoodPlugin"), loaded.Path);
        Assert.Equal(Path.Combine(packaged.Path, "GoodPlugin"), overridden.Path);
        Assert.Equal($"overridden by {Path.Combine(local.Path, "GoodPlugin")}", overridden.Reason);
        Assert.Single(services, d => d.ServiceType == typeof(IEventHandler));
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public void AFolderWithoutItsAssemblyIsRefusedAndAMissingDirectoryIsSkipped()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory();
        Directory.CreateDirectory(dir.Combine("Empty"));

        PluginLoadResult result = Assert.Single(Load(new ServiceCollection(), [dir.Path, dir.Combine("does-not-exist")]));

        Assert.Equal((PluginState.Refused, $"{dir.Combine("Empty", "Empty.dll")} does not exist"), (result.State, result.Reason));
    }

    internal static IReadOnlyList<PluginLoadResult> Load(IServiceCollection services, string[] directories, params (string Key, string Value)[] config)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(config.Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)))
            .Build();
        var catalog = new PluginCatalog(directories, new PluginFileSecurity(), EfdApi.Version);
        return catalog.LoadInto(services, configuration);
    }
}
