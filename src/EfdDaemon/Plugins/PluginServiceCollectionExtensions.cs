using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Plugins;

/// <summary>Registers the plugins found in <c>Daemon:PluginDirectories</c>.</summary>
internal static class PluginServiceCollectionExtensions
{
    /// <summary>Loads the plugins now (while the host is built) and registers their services and a report of their states.</summary>
    /// <param name="services">The daemon's services.</param>
    /// <param name="configuration">The daemon's configuration: <c>Daemon:PluginDirectories</c> and <c>Plugins:*</c>.</param>
    /// <param name="security">The ownership and permission checks; <see langword="null"/> for the production ones (owner root).</param>
    /// <returns>One status per plugin folder found; also given to <see cref="PluginStatusRegistry"/> (the status reply) and registered as <see cref="PluginLoadReport"/>.</returns>
    /// <remarks>
    /// The states are logged when the host starts (<see cref="PluginLoadReport"/>), since no logger exists yet
    /// while services are being registered.
    /// </remarks>
    public static IReadOnlyList<PluginLoadResult> AddEfdPlugins(this IServiceCollection services, IConfiguration configuration, PluginFileSecurity? security = null)
    {
        IReadOnlyList<string> directories = ReadDirectories(configuration);
        var catalog = new PluginCatalog(directories, security ?? new PluginFileSecurity(), EfdApi.Version);
        IReadOnlyList<PluginLoadResult> statuses = catalog.LoadInto(services, configuration);
        PluginStatusRegistry registry = services.GetPluginStatusRegistry();
        foreach (PluginLoadResult status in statuses)
        {
            registry.Add(status.Name, status.Path, status.State.ToString(), status.Reason);
        }

        services.AddSingleton(new PluginLoadReport(directories, statuses));
        services.AddHostedService<PluginLoadReportLogger>();
        return statuses;
    }

    /// <summary>Reads <c>Daemon:PluginDirectories</c>, or the defaults when it is absent.</summary>
    public static IReadOnlyList<string> ReadDirectories(IConfiguration configuration)
    {
        string[] configured = configuration.GetSection("Daemon:PluginDirectories").GetChildren()
            .Select(s => s.Value)
            .OfType<string>()
            .Where(s => s.Length > 0)
            .ToArray();
        return configured.Length > 0 ? configured : PluginCatalog.DefaultDirectories;
    }

    /// <summary>The registry the plugin loader reports to, usable while services are still being registered.</summary>
    public static PluginStatusRegistry GetPluginStatusRegistry(this IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(PluginStatusRegistry))?.ImplementationInstance is PluginStatusRegistry registry)
        {
            return registry;
        }

        registry = new PluginStatusRegistry();
        services.AddSingleton(registry);
        return registry;
    }
}
