using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Plugins;

/// <summary>
/// Finds the plugins in the plugin directories, checks them, loads each into its own
/// <see cref="PluginLoadContext"/> and lets its entry point register services.
/// </summary>
/// <remarks>
/// A plugin is a folder <c>&lt;dir&gt;/&lt;Name&gt;/</c> holding <c>&lt;Name&gt;.dll</c>. Directories are read
/// in order; a plugin of the same name in a later directory replaces the earlier one (with the
/// defaults, the administrator's <c>/usr/local/lib/efd-daemon/plugins</c> overrides the packaged
/// <c>/usr/lib/efd-daemon/plugins</c>), and the replaced one is reported as disabled. This runs once,
/// while the host is built: adding or removing a plugin needs a restart.
/// </remarks>
internal sealed class PluginCatalog
{
    public const string SectionName = "Plugins";

    /// <summary>The one key of <c>Plugins:&lt;Name&gt;</c> that is the daemon's; the rest are the plugin's own.</summary>
    public const string EnabledKey = "Enabled";

    public static readonly IReadOnlyList<string> DefaultDirectories =
        [InstalledLayout.PackagePluginDirectory, InstalledLayout.LocalPluginDirectory];

    private readonly IReadOnlyList<string> _directories;
    private readonly PluginFileSecurity _security;
    private readonly Version _daemonApi;

    public PluginCatalog(IReadOnlyList<string> directories, PluginFileSecurity security, Version daemonApi)
    {
        _directories = directories;
        _security = security;
        _daemonApi = daemonApi;
    }

    /// <summary>Loads every enabled, trusted plugin and registers its services into <paramref name="services"/>.</summary>
    /// <param name="services">The daemon's services; a plugin's registrations are added only if its entry point returns normally.</param>
    /// <param name="configuration">The daemon's configuration; each plugin gets its <c>Plugins:&lt;Name&gt;</c> section.</param>
    /// <returns>One status per plugin folder found, in name order (overridden folders included).</returns>
    public IReadOnlyList<PluginLoadResult> LoadInto(IServiceCollection services, IConfiguration configuration)
    {
        var report = new List<PluginLoadResult>();
        foreach (Candidate candidate in Discover(report))
        {
            report.Add(Load(candidate, services, configuration.GetSection($"{SectionName}:{candidate.Name}")));
        }

        report.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return report;
    }

    private List<Candidate> Discover(List<PluginLoadResult> report)
    {
        var chosen = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        foreach (string directory in _directories)
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            string? directoryProblem;
            string[] folders;
            try
            {
                directoryProblem = _security.CheckPluginDirectory(directory);
                folders = [.. Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal)];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The daemon still starts: the directory is reported, its plugins are not loaded.
                report.Add(new PluginLoadResult("*", directory, PluginState.Refused, $"cannot read the plugin directory: {ex.Message}"));
                continue;
            }

            foreach (string folder in folders)
            {
                string name = Path.GetFileName(folder);
                var candidate = new Candidate(name, folder, directoryProblem);
                if (chosen.Remove(name, out Candidate? earlier))
                {
                    report.Add(new PluginLoadResult(name, earlier.Folder, PluginState.Disabled, $"overridden by {folder}"));
                }

                chosen.Add(name, candidate);
            }
        }

        return [.. chosen.Values];
    }

    private PluginLoadResult Load(Candidate candidate, IServiceCollection services, IConfigurationSection section)
    {
        (string name, string folder, string? directoryProblem) = candidate;
        string? enabled = section[EnabledKey];
        bool isEnabled = true;
        if (enabled is not null && !bool.TryParse(enabled, out isEnabled))
        {
            return new PluginLoadResult(name, folder, PluginState.Refused, $"{SectionName}:{name}:Enabled is '{enabled}', not true or false");
        }
        else if (!isEnabled)
        {
            return new PluginLoadResult(name, folder, PluginState.Disabled, $"{SectionName}:{name}:Enabled is false");
        }

        string assemblyPath = Path.Combine(folder, name + ".dll");
        string? refusal;
        try
        {
            refusal = directoryProblem ?? _security.CheckPluginFolder(folder);
            refusal ??= File.Exists(assemblyPath) ? PluginApiVersion.Check(assemblyPath, _daemonApi) : $"{assemblyPath} does not exist";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            refusal = ex.Message;
        }

        if (refusal is not null)
        {
            return new PluginLoadResult(name, folder, PluginState.Refused, refusal);
        }

        try
        {
            IEfdPlugin plugin = CreateEntryPoint(name, assemblyPath);

            // Register into a scratch collection: a plugin that throws halfway leaves nothing behind.
            var scratch = new ServiceCollection();
            plugin.ConfigureServices(scratch, section);
            foreach (ServiceDescriptor descriptor in scratch)
            {
                services.Add(descriptor);
            }

            return new PluginLoadResult(name, folder, PluginState.Loaded, null);
        }
#pragma warning disable CA1031 // Any failure of third-party code is reported and the plugin skipped.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Exception cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            return new PluginLoadResult(name, folder, PluginState.Failed, $"{cause.GetType().Name}: {cause.Message}", cause);
        }
    }

    private static IEfdPlugin CreateEntryPoint(string name, string assemblyPath)
    {
        var context = new PluginLoadContext(name, assemblyPath);
        Assembly assembly = context.LoadFromAssemblyPath(assemblyPath);
        Type[] entryPoints = assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEfdPlugin).IsAssignableFrom(t))
            .ToArray();
        if (entryPoints.Length != 1)
        {
            throw new InvalidOperationException(entryPoints.Length == 0
                ? $"{Path.GetFileName(assemblyPath)} has no public class implementing IEfdPlugin"
                : $"{Path.GetFileName(assemblyPath)} has {entryPoints.Length} public classes implementing IEfdPlugin ({string.Join(", ", entryPoints.Select(t => t.FullName))}); it needs exactly one");
        }

        return (IEfdPlugin)Activator.CreateInstance(entryPoints[0])!;
    }

    private sealed record Candidate(string Name, string Folder, string? DirectoryProblem);
}
