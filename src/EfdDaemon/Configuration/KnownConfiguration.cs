using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Configuration;

/// <summary>A configuration section and the options class bound to it, registered by the same call that binds it.</summary>
internal sealed record KnownConfigurationSection(string Path, Type OptionsType);

internal static class KnownConfigurationServiceCollectionExtensions
{
    /// <summary>Declares that <typeparamref name="TOptions"/> is bound to <paramref name="path"/>: its properties are known keys there.</summary>
    public static IServiceCollection AddKnownConfigurationSection<TOptions>(this IServiceCollection services, string path)
        where TOptions : class
    {
        services.AddSingleton(new KnownConfigurationSection(path, typeof(TOptions)));
        return services;
    }
}
