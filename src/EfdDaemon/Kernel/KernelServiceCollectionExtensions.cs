using EfdDaemon.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Kernel;

/// <summary>Registers <c>Module</c> and the modprobe helper; tests replace <see cref="IKernelModuleLoader"/> before or after this call.</summary>
internal static class KernelServiceCollectionExtensions
{
    public static IServiceCollection AddEfdKernelModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEfdSection<ModuleOptions, ModuleOptionsValidator>(configuration, ModuleOptions.SectionName);
        services.TryAddSingleton<IKernelModuleLoader>(sp => new KernelModuleLoader(
            sp.GetRequiredService<IOptions<ModuleOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<KernelModuleLoader>()));
        return services;
    }
}
