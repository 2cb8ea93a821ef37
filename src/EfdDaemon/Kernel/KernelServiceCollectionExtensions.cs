using EfdDaemon.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Kernel;

/// <summary>Registers <c>Module</c>, the modprobe helper and the kind catalogue; tests replace <see cref="IKernelModuleLoader"/> before or after this call.</summary>
internal static class KernelServiceCollectionExtensions
{
    public static IServiceCollection AddEfdKernelModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEfdSection<ModuleOptions, ModuleOptionsValidator>(configuration, ModuleOptions.SectionName);
        services.TryAddSingleton<IKernelModuleLoader>(sp => new KernelModuleLoader(
            sp.GetRequiredService<IOptions<ModuleOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<KernelModuleLoader>()));
        services.TryAddSingleton(sp => new KindCatalog(
            sp.GetRequiredService<IOptions<ModuleOptions>>().Value.SysfsPath,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<KindCatalog>()));
        return services;
    }
}
