using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace EfdDaemon.Plugins;

/// <summary>Reads which plugin API a plugin was built against, from its metadata, without running any of its code.</summary>
internal static class PluginApiVersion
{
    private const string ContractAssembly = "EfdDaemon.Abstractions";

    /// <summary>Returns why the plugin at <paramref name="assemblyPath"/> cannot run on API <paramref name="daemonApi"/>, or <see langword="null"/> when it can.</summary>
    /// <remarks>
    /// The reference's major must equal the daemon's. A plugin built against a newer minor is refused
    /// too: the runtime would not bind its reference to the daemon's older contract assembly anyway.
    /// </remarks>
    public static string? Check(string assemblyPath, Version daemonApi)
    {
        Version? built = ReadReference(assemblyPath);
        if (built is null)
        {
            return $"it does not reference {ContractAssembly}, so it has no IEfdPlugin entry point";
        }

        if (built.Major != daemonApi.Major)
        {
            return $"it was built against plugin API {built} ({ContractAssembly}) and this daemon provides {daemonApi}: the major versions differ";
        }

        if (built > daemonApi)
        {
            return $"it was built against plugin API {built} ({ContractAssembly}), newer than the {daemonApi} this daemon provides";
        }

        return null;
    }

    /// <summary>Returns the version of the contract assembly <paramref name="assemblyPath"/> references, or <see langword="null"/>.</summary>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public static Version? ReadReference(string assemblyPath)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException($"{assemblyPath} has no .NET metadata.");
        }

        MetadataReader reader = pe.GetMetadataReader();
        foreach (AssemblyReferenceHandle handle in reader.AssemblyReferences)
        {
            AssemblyReference reference = reader.GetAssemblyReference(handle);
            if (reader.StringComparer.Equals(reference.Name, ContractAssembly))
            {
                return reference.Version;
            }
        }

        return null;
    }
}
