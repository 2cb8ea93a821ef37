using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Control;

/// <summary>Registers the control socket (<c>&lt;RunDirectory&gt;/control.sock</c>).</summary>
internal static class ControlServiceCollectionExtensions
{
    public static IServiceCollection AddEfdControlServer(this IServiceCollection services)
    {
        return services;
    }
}
