using System.Reflection;
using System.Runtime.Loader;

namespace EfdDaemon.Plugins;

/// <summary>
/// The load context of one plugin: resolves the plugin's own dependencies from its folder (its
/// <c>.deps.json</c>, through <see cref="AssemblyDependencyResolver"/>) and leaves the shared
/// contracts to the daemon, so host and plugin see one <see cref="IEventHandler"/> type.
/// </summary>
/// <remarks>
/// Shared: <c>EfdDaemon.Abstractions</c> and the Microsoft.Extensions contracts a plugin exchanges
/// with the daemon through dependency injection and configuration (<see cref="IsShared"/>). Anything
/// else the plugin carries is loaded from its folder, even when the daemon has another version of
/// the same assembly; what it does not carry (the framework) falls back to the default context.
/// A load context is not a security boundary: it isolates types and versions, not crashes.
/// </remarks>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string name, string mainAssemblyPath)
        : base($"plugin:{name}", isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    /// <summary>Tells whether <paramref name="name"/> is a contract the daemon and its plugins share.</summary>
    /// <remarks>
    /// <c>Microsoft.Extensions.Options</c> and <c>.Primitives</c> are not named "Abstractions" but are
    /// contracts all the same: a plugin's handler takes <c>IOptions&lt;T&gt;</c> from the daemon's
    /// container, and <c>IConfiguration</c> hands out <c>IChangeToken</c>s.
    /// </remarks>
    public static bool IsShared(AssemblyName name)
    {
        string? simple = name.Name;
        if (simple is null)
        {
            return false;
        }

        return simple == "EfdDaemon.Abstractions"
            || simple == "Microsoft.Extensions.Primitives"
            || simple == "Microsoft.Extensions.Options"
            || (simple.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
                && simple.EndsWith(".Abstractions", StringComparison.Ordinal));
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (IsShared(assemblyName))
        {
            return null;
        }

        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
