using EfdDaemon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.TestPlugins;

/// <summary>
/// The entry point of a test plugin with one handler, made with the test's <c>IProgress&lt;string&gt;</c>
/// probe when the test registered one. Linked into each test plugin, so every plugin assembly has its own copy.
/// </summary>
/// <typeparam name="THandler">The plugin's handler.</typeparam>
public abstract class ProbedPlugin<THandler> : IEfdPlugin
    where THandler : class, IEventHandler
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => Create(configuration, sp.GetService<IProgress<string>>()));
        services.AddEventHandler<THandler>();
    }

    /// <summary>Makes the handler from the plugin's configuration section and the probe.</summary>
    protected abstract THandler Create(IConfiguration configuration, IProgress<string>? probe);
}
