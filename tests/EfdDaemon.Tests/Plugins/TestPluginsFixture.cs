namespace EfdDaemon.Tests.Plugins;

/// <summary>
/// Builds <c>tests/plugins/TestPlugins.slnx</c> once per test run into a temporary artifacts path and
/// copies each plugin's output to <see cref="BuildOutput"/><c>/&lt;Name&gt;</c>, from which tests copy
/// the plugins they need into their own plugin directories.
/// </summary>
public sealed class TestPluginsFixture : IAsyncLifetime, IDisposable
{
    public static readonly string[] Plugins = ["GoodPlugin", "ConflictingDependency", "ThrowsOnLoad", "ThrowsPerEvent", "Hangs", "WrongApi"];

    private readonly TempDirectory _artifacts = new("efd-plugins-build-");
    private readonly TempDirectory _plugins = new("efd-plugins-built-");

    public string BuildOutput => _plugins.Path;

    public async Task InitializeAsync()
    {
        await Repository.DotnetAsync(Repository.Root, "build", Repository.Combine("tests", "plugins", "TestPlugins.slnx"),
            "--artifacts-path", _artifacts.Path, "--disable-build-servers", "-nologo", "-v:q");
        foreach (string name in (string[])[.. Plugins, "RateAlert"])
        {
            Repository.CopyFolder(_artifacts.Combine("bin", name, "debug"), _plugins.Combine(name));
        }
    }

    /// <summary>Creates a plugin directory holding copies of <paramref name="names"/>.</summary>
    public TempDirectory CreatePluginDirectory(params string[] names)
    {
        var dir = new TempDirectory("efd-plugin-dir-");
        foreach (string name in names)
        {
            Repository.CopyFolder(_plugins.Combine(name), dir.Combine(name));
        }

        return dir;
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _artifacts.Dispose();
        _plugins.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TestPluginsCollection : ICollectionFixture<TestPluginsFixture>
{
    public const string Name = "Test plugins";
}
