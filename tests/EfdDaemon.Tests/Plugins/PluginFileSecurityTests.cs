using EfdDaemon.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Tests.Plugins;

[Collection(TestPluginsCollection.Name)]
public sealed class PluginFileSecurityTests(TestPluginsFixture plugins)
{
    private const UnixFileMode WorldWritableDirectory = (UnixFileMode)0b111_111_111;

    [RequiresRootFact("plugin files must be owned by root")]
    public void AWorldWritablePluginFolderIsRefusedNamingThePathAndTheCheck()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory("GoodPlugin", "ConflictingDependency");
        string folder = dir.Combine("GoodPlugin");
        File.SetUnixFileMode(folder, WorldWritableDirectory);
        var services = new ServiceCollection();

        IReadOnlyList<PluginLoadResult> results = PluginCatalogTests.Load(services, [dir.Path]);

        PluginLoadResult refused = results.Single(r => r.Name == "GoodPlugin");
        Assert.Equal(PluginState.Refused, refused.State);
        Assert.Equal($"directory {folder} is writable by group or others (mode 0777)", refused.Reason);
        Assert.Equal(PluginState.Loaded, results.Single(r => r.Name == "ConflictingDependency").State);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IEventHandler) && d.ImplementationFactory is null && d.ImplementationType?.Name == "GoodHandler");
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public void AGroupWritableFileInsideThePluginIsRefused()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory("GoodPlugin");
        string deps = dir.Combine("GoodPlugin", "GoodPlugin.deps.json");
        File.SetUnixFileMode(deps, (UnixFileMode)0b110_110_100);

        PluginLoadResult result = Assert.Single(PluginCatalogTests.Load(new ServiceCollection(), [dir.Path]));

        Assert.Equal((PluginState.Refused, $"file {deps} is writable by group or others (mode 0664)"), (result.State, result.Reason));
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public void AWorldWritablePluginDirectoryRefusesEveryPluginInIt()
    {
        using TempDirectory dir = plugins.CreatePluginDirectory("GoodPlugin");
        File.SetUnixFileMode(dir.Path, WorldWritableDirectory);

        PluginLoadResult result = Assert.Single(PluginCatalogTests.Load(new ServiceCollection(), [dir.Path]));

        Assert.Equal((PluginState.Refused, $"directory {dir.Path} is writable by group or others (mode 0777)"), (result.State, result.Reason));
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public void FilesNotOwnedByTheRequiredOwnerAreRefused()
    {
        // Tests create files as root, so prove the ownership check by requiring another owner.
        using TempDirectory dir = plugins.CreatePluginDirectory("GoodPlugin");
        var catalog = new PluginCatalog([dir.Path], new PluginFileSecurity(requiredOwnerUid: 4242), EfdApi.Version);

        PluginLoadResult result = Assert.Single(catalog.LoadInto(new ServiceCollection(), new ConfigurationBuilder().Build()));

        Assert.Equal((PluginState.Refused, $"directory {dir.Path} is owned by uid 0, not uid 4242"), (result.State, result.Reason));
    }

    [RequiresRootFact("plugin files must be owned by root")]
    public void ADirectoryAboveThePluginDirectoryThatOthersCanWriteIsRefusedUnlessSticky()
    {
        using var parent = new TempDirectory();
        string pluginDir = parent.Combine("plugins");
        Directory.CreateDirectory(pluginDir);
        File.SetUnixFileMode(parent.Path, WorldWritableDirectory);
        var security = new PluginFileSecurity();

        Assert.Equal($"directory {parent.Path} above the plugin directory is writable by group or others (mode 0777)", security.CheckPluginDirectory(pluginDir));

        File.SetUnixFileMode(parent.Path, WorldWritableDirectory | UnixFileMode.StickyBit);
        Assert.Null(security.CheckPluginDirectory(pluginDir));
    }
}
