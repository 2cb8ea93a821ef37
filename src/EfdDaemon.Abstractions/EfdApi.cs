namespace EfdDaemon;

/// <summary>The version of the plugin contract in this assembly.</summary>
/// <remarks>
/// It equals this assembly's version. The daemon compares the major number of the
/// <c>EfdDaemon.Abstractions</c> reference a plugin was built against with its own and refuses
/// a plugin whose major differs; a newer minor in the daemon stays compatible.
/// </remarks>
public static class EfdApi
{
    /// <summary>Gets the contract version implemented by this assembly.</summary>
    public static Version Version { get; } = typeof(EfdApi).Assembly.GetName().Version ?? new Version(1, 0);
}
