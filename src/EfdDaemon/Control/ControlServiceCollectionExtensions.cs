using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using EfdDaemon.Configuration;

namespace EfdDaemon.Control;

/// <summary>Registers the control socket (<c>&lt;RunDirectory&gt;/control.sock</c>); after the daemon service, so it starts once the run directory exists.</summary>
internal static class ControlServiceCollectionExtensions
{
    public static IServiceCollection AddEfdControlServer(this IServiceCollection services)
    {
        services.AddOptions<ControlSocketOptions>().BindConfiguration(ControlSocketOptions.SectionName).ValidateOnStart();
        services.AddKnownConfigurationSection<ControlSocketOptions>(ControlSocketOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControlSocketOptions>, ControlSocketOptionsValidator>());
        services.AddSingleton<StatusReport>();
        services.AddSingleton<ControlServer>();
        services.AddHostedService(sp => sp.GetRequiredService<ControlServer>());
        return services;
    }
}
