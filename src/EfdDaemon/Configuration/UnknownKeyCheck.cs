using EfdDaemon.Events;
using EfdDaemon.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Configuration;

/// <summary>
/// The unknown keys of the daemon's configuration: every section registered with
/// <see cref="KnownConfigurationServiceCollectionExtensions.AddKnownConfigurationSection{TOptions}"/>,
/// <c>Handlers:&lt;Name&gt;</c> for each registered handler, and <c>Plugins:&lt;Name&gt;:Enabled</c> for
/// each plugin found (the rest of a plugin's section is the plugin's to check).
/// </summary>
internal static class UnknownKeyCheck
{
    public static IReadOnlyList<UnknownKey> Find(IServiceProvider services)
    {
        if (services.GetRequiredService<IConfiguration>() is not IConfigurationRoot root)
        {
            return [];
        }

        var schema = KnownKeyNode.Leaf();
        foreach (KnownConfigurationSection section in services.GetServices<KnownConfigurationSection>())
        {
            schema.Add(section.Path, KnownKeyNode.FromType(section.OptionsType));
        }

        schema.Add(HandlerOptions.SectionName, KnownKeyNode.Named("handler", HandlerNames(services), () => KnownKeyNode.FromType(typeof(HandlerOptions))));
        schema.Add(PluginCatalog.SectionName, KnownKeyNode.Named("plugin", PluginNames(services), () => KnownKeyNode.Open(PluginCatalog.EnabledKey)));
        return new UnknownKeyFinder(schema).Find(ConfiguredKeys.From(root, EfdConfiguration.EnvironmentPrefix));
    }

    private static IEnumerable<string> HandlerNames(IServiceProvider services)
    {
        try
        {
            return [.. services.GetServices<IEventHandler>().Select(h => h.Name)];
        }
#pragma warning disable CA1031 // A handler that cannot be built is reported by the validation; its name is then unknown.
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }
    }

    private static IEnumerable<string> PluginNames(IServiceProvider services) =>
        services.GetService<PluginLoadReport>()?.Statuses.Select(s => s.Name).Where(n => n != "*").Distinct(StringComparer.OrdinalIgnoreCase) ?? [];
}
