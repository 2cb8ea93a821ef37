using Microsoft.Extensions.Configuration;

namespace EfdDaemon.Configuration;

/// <summary>The configuration sources, in src/EfdDaemon/INTERFACES.md order: the main file, conf.d in ordinal name order, <c>EFD_</c> variables, the command line.</summary>
internal static class EfdConfiguration
{
    public const string MainFileName = "efd-daemon.json";
    public const string DropInDirectoryName = "conf.d";
    public const string EnvironmentPrefix = "EFD_";

    public static void AddSources(IConfigurationBuilder builder, EfdCommandLine commandLine)
    {
        if (commandLine.CheckConfigFile is { } file)
        {
            // --check-config FILE checks that file alone.
            builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
            return;
        }

        string dir = Path.GetFullPath(commandLine.ConfigDirectory);
        builder.AddJsonFile(Path.Combine(dir, MainFileName), optional: true, reloadOnChange: false);
        builder.Add(new DropInDirectoryConfigurationSource(Path.Combine(dir, DropInDirectoryName)));

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddCommandLine(commandLine.ConfigurationArgs);
    }
}
