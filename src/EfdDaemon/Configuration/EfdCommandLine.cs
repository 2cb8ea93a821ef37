namespace EfdDaemon.Configuration;

/// <summary>The daemon's own switches (src/EfdDaemon/INTERFACES.md); everything else goes to configuration as <c>--Section:Key=value</c>.</summary>
internal sealed record EfdCommandLine(string ConfigDirectory, bool CheckConfig, string? CheckConfigFile, bool ShowVersion, string[] ConfigurationArgs)
{
    public const string DefaultConfigDirectory = InstalledLayout.ConfigDirectory;
    public const string ConfigDirectoryVariable = "EFD_CONFIG_DIR";

    /// <summary>Reads <paramref name="args"/>; throws <see cref="ArgumentException"/> with a one-line message on a malformed command line.</summary>
    public static EfdCommandLine Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string configDir = environment(ConfigDirectoryVariable) is { Length: > 0 } fromEnv ? fromEnv : DefaultConfigDirectory;
        bool check = false, version = false;
        string? checkFile = null;
        var rest = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--config-dir")
            {
                configDir = i + 1 < args.Count ? args[++i] : throw new ArgumentException("--config-dir needs a directory.");
            }
            else if (a.StartsWith("--config-dir=", StringComparison.Ordinal))
            {
                configDir = a["--config-dir=".Length..];
            }
            else if (a == "--check-config")
            {
                check = true;
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    checkFile = args[++i];
                }
            }
            else if (a == "--version")
            {
                version = true;
            }
            else if (a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))
            {
                rest.Add(a);
            }
            else
            {
                throw new ArgumentException($"Unknown argument '{a}'. Usage: efd-daemon [--config-dir DIR] [--check-config [FILE]] [--version] [--Section:Key=value ...]");
            }
        }

        return new EfdCommandLine(configDir, check, checkFile, version, [.. rest]);
    }
}
