namespace EfdDaemon.Tests.Support;

/// <summary>Paths inside the repository, found from the test assembly upward (efd-daemon.sln marks the root).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

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
