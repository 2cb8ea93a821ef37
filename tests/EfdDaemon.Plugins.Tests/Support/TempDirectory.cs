namespace EfdDaemon.Plugins.Tests.Support;

/// <summary>A fresh directory under /tmp (root-owned, mode 0755 under the usual umask), removed at dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "efd-plugins-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
