using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon;

/// <summary>
/// The entry point of a handler plugin. efd-daemon creates the one public, non-abstract class
/// that implements it in <c>&lt;Name&gt;.dll</c> with its parameterless constructor and calls
/// <see cref="ConfigureServices"/> once at start.
/// </summary>
/// <remarks>
/// A plugin lives in its own folder, <c>/usr/lib/efd-daemon/plugins/&lt;Name&gt;/</c> (packages) or
/// <c>/usr/local/lib/efd-daemon/plugins/&lt;Name&gt;/</c> (the administrator's), loaded into its own
/// <c>AssemblyLoadContext</c>. It shares only this assembly and the Microsoft.Extensions.*
/// abstractions with the daemon, so it may carry its own versions of other dependencies. The
/// folder and its files must be owned by root and not writable by group or others. A plugin built
/// against another major <see cref="EfdApi.Version"/> is refused. Plugins are read at start only:
/// adding or removing one needs a restart.
/// </remarks>
public interface IEfdPlugin
{
    /// <summary>Registers the plugin's handlers and services.</summary>
    /// <param name="services">The daemon's service collection; call <see cref="EventHandlerServiceCollectionExtensions.AddEventHandler{THandler}(IServiceCollection)"/> for each handler.</param>
    /// <param name="configuration">The plugin's own section, <c>Plugins:&lt;Name&gt;</c> (empty when absent).</param>
    void ConfigureServices(IServiceCollection services, IConfiguration configuration);
}
