using System.Diagnostics;
using System.Reflection;

namespace EfdDaemon.TestSupport;

/// <summary>The source tree, and <c>dotnet</c> runs against it that keep their output out of it.</summary>
public static class Repository
{
    /// <summary>
    /// Gets the repository root: the one this library was built from (assembly metadata, see the project
    /// file), else found from the test assembly upward (efd-daemon.sln marks the root).
    /// </summary>
    public static string Root { get; } = FromMetadata() ?? FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>; throws with its output when it fails.</summary>
    /// <remarks>
    /// MSBuild variables inherited from the test host's build are removed so that the child picks its own
    /// SDK; build servers are disabled so that nothing outlives the test run.
    /// </remarks>
    public static async Task<string> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        string output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        }

        return output;
    }

    /// <summary>Copies a build output folder to <paramref name="target"/> with root-style modes (0755 directories, 0644 files).</summary>
    public static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            string to = Path.Combine(target, Path.GetFileName(file));
            File.Copy(file, to, overwrite: true);
            File.SetUnixFileMode(to, (UnixFileMode)0b110_100_100);
        }

        foreach (string dir in Directory.EnumerateDirectories(source))
        {
            CopyFolder(dir, Path.Combine(target, Path.GetFileName(dir)));
        }
    }

    private static string? FromMetadata() => typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value is { Length: > 0 } root && Directory.Exists(root) ? root : null;

    private static string FindRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), CallerDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "efd-daemon.sln")) || File.Exists(Path.Combine(dir.FullName, "src", "EfdDaemon", "EfdDaemon.csproj")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("The repository root (efd-daemon.sln) was not found above the test assembly.");
    }

    private static string CallerDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "/";
}
