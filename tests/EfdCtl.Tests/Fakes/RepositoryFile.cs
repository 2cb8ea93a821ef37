using System.Runtime.CompilerServices;

namespace EfdCtl.Tests.Fakes;

/// <summary>Files of the repository the tests were built from (found from this source file, wherever the build output went).</summary>
internal static class RepositoryFile
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "..", ".."));

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "/";
}
