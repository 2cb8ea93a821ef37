using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EfdDaemon;

/// <summary>Registers <see cref="IEventHandler"/> implementations with efd-daemon.</summary>
public static class EventHandlerServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="THandler"/> as a singleton event handler.</summary>
    /// <typeparam name="THandler">The handler type; constructed by dependency injection.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <remarks>Registering the same type twice registers it once.</remarks>
    public static IServiceCollection AddEventHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IServiceCollection services)
        where THandler : class, IEventHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<THandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventHandler, THandler>(sp => sp.GetRequiredService<THandler>()));
        return services;
    }
}
