using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.FileProviders;

namespace EfdDaemon.Configuration;

/// <summary>A configuration provider that can say which file each of its keys came from (conf.d).</summary>
internal interface IConfigurationKeyOrigins
{
    IEnumerable<ConfiguredKey> Keys { get; }
}

/// <summary>
/// Every key of the daemon's own configuration sources with where it was set: each JSON file by
/// path, each conf.d file by path, <c>environment (EFD_…)</c>, <c>command line (--…)</c>. Other
/// providers (the host's in-memory defaults) are not the administrator's and are left out.
/// </summary>
internal static class ConfiguredKeys
{
    public static IEnumerable<ConfiguredKey> From(IConfigurationRoot root, string environmentPrefix)
    {
        foreach (IConfigurationProvider provider in root.Providers)
        {
            switch (provider)
            {
                case IConfigurationKeyOrigins origins:
                    foreach (ConfiguredKey key in origins.Keys)
                    {
                        yield return key;
                    }

                    break;
                case FileConfigurationProvider file:
                    string path = file.Source.FileProvider is PhysicalFileProvider physical
                        ? Path.Combine(physical.Root, file.Source.Path ?? "")
                        : file.Source.Path ?? file.ToString() ?? "file";
                    foreach (string key in Walk(provider, null))
                    {
                        yield return new ConfiguredKey(path, key);
                    }

                    break;
                case EnvironmentVariablesConfigurationProvider:
                    foreach (string key in Walk(provider, null))
                    {
                        // EFD_ variables without "__" (EFD_CONFIG_DIR, efdctl's EFD_RUN_DIR) are not configuration.
                        if (key.Contains(':', StringComparison.Ordinal))
                        {
                            yield return new ConfiguredKey($"environment ({environmentPrefix}{key.Replace(":", "__", StringComparison.Ordinal)})", key);
                        }
                    }

                    break;
                case CommandLineConfigurationProvider:
                    foreach (string key in Walk(provider, null))
                    {
                        yield return new ConfiguredKey($"command line (--{key})", key);
                    }

                    break;
            }
        }
    }

    /// <summary>Every key of <paramref name="provider"/> under <paramref name="parent"/>, sections and values alike.</summary>
    private static IEnumerable<string> Walk(IConfigurationProvider provider, string? parent)
    {
        foreach (string child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            string path = parent is null ? child : $"{parent}:{child}";
            yield return path;
            foreach (string below in Walk(provider, path))
            {
                yield return below;
            }
        }
    }
}
