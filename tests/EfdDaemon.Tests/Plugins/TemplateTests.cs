namespace EfdDaemon.Tests.Plugins;

/// <summary>
/// <c>dotnet new efd-handler</c> as a plugin author outside this repository uses it: the Abstractions
/// package from a feed (here packed from this tree into a local one), the generated tests run, the
/// published folder loaded by the daemon.
/// </summary>
public sealed class TemplateTests
{
    [Fact]
    public void TheTemplateBuildsAgainstThePluginApiOfThisTreeByDefault()
    {
        // One version: EfdApiVersion gives the package, the assembly (EfdApi.Version) and the major the daemon accepts.
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.Combine("src", "templates", "efd-handler", ".template.config", "template.json")));
        string? defaultVersion = json.RootElement.GetProperty("symbols").GetProperty("AbstractionsVersion").GetProperty("defaultValue").GetString();

        Assert.Equal(EfdApi.Version.ToString(3), defaultVersion);
        string? informational = typeof(EfdApi).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.StartsWith(EfdApi.Version.ToString(3), informational, StringComparison.Ordinal);
    }

    [RequiresRootFact("the template's plugin is loaded by the daemon, which needs its files owned by root")]
    public async Task TheTemplatesOutputBuildsPassesItsTestsAndIsLoadedByTheDaemon()
    {
        using var work = new TempDirectory("efd-template-");
        string feed = work.Combine("feed");
        string hive = work.Combine("hive");
        string output = work.Combine("NetdevAudit");

        // A version of its own per run: the global packages folder never serves a stale copy.
        string version = $"1.0.0-local.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        await Repository.DotnetAsync(work.Path, "pack", Repository.Combine("src", "EfdDaemon.Abstractions"), "-o", feed,
            "--artifacts-path", work.Combine("pack-artifacts"), $"-p:PackageVersion={version}", "--disable-build-servers", "-v:q");
        await Repository.DotnetAsync(work.Path, "new", "install", Repository.Combine("src", "templates", "efd-handler"), "--debug:custom-hive", hive);
        await Repository.DotnetAsync(work.Path, "new", "efd-handler", "-n", "NetdevAudit", "-o", output,
            "--AbstractionsVersion", version, "--debug:custom-hive", hive);
        File.WriteAllText(Path.Combine(output, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);

        string testOutput = await Repository.DotnetAsync(output, "test", Path.Combine(output, "tests", "NetdevAudit.Tests"),
            "--artifacts-path", work.Combine("artifacts"), "--disable-build-servers");
        Assert.Contains("Passed!", testOutput, StringComparison.Ordinal);
        await Repository.DotnetAsync(output, "publish", Path.Combine(output, "src", "NetdevAudit"), "-o", work.Combine("publish"),
            "--artifacts-path", work.Combine("artifacts"), "--disable-build-servers");

        using var plugins = new TempDirectory("efd-plugin-dir-");
        Repository.CopyFolder(work.Combine("publish"), plugins.Combine("NetdevAudit"));
        Assert.False(File.Exists(plugins.Combine("NetdevAudit", "EfdDaemon.Abstractions.dll")), "the contract must come from the daemon");
        await using var daemon = new InProcessDaemon(plugins.Path, """{ "Plugins": { "NetdevAudit": { "Label": "audit" } } }""");
        await daemon.StartAsync();
        daemon.Signal();

        LogEntry entry = await daemon.Logs.WaitForAsync(e => e.Category == "NetdevAudit.NetdevAuditHandler");
        Assert.Equal(("audit", "SIGNAL", "1"), (entry.Property("Label"), entry.Property("Kind"), entry.Property("Count")));
        Assert.Equal(("NetdevAudit", "Loaded"), daemon.Plugins.Select(p => (p.Name, p.State)).Single());
    }
}
