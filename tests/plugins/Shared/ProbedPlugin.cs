using EfdDaemon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.TestPlugins;

/// <summary>
/// The entry point of a test plugin with one handler, which the container makes: a handler that takes
/// an <c>IProgress&lt;string&gt;? probe = null</c> gets the test's probe when the test registered one.
/// Linked into each test plugin, so every plugin assembly has its own copy.
/// </summary>
/// <typeparam name="THandler">The plugin's handler.</typeparam>
public abstract class ProbedPlugin<THandler> : IEfdPlugin
    where THandler : class, IEventHandler
{
    public virtual void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddEventHandler<THandler>();
}
