using System.Globalization;

namespace EfdDaemon.TestSupport;

/// <summary>
/// A fresh directory under /tmp, mode 0755 (so that root-owned plugin directories pass the daemon's
/// file checks), removed at dispose. Short paths: AF_UNIX paths are limited to 107 bytes.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "efd-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> (creating its directories) and returns its path.</summary>
    public string Write(string name, string content)
    {
        string path = Combine(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes the daemon's run files here: <c>pid</c>, and <c>efd</c> unless null.</summary>
    public void WriteRunFiles(int pid, int? efd)
    {
        Write("pid", pid.ToString(CultureInfo.InvariantCulture) + "\n");
        if (efd is { } fd)
        {
            Write("efd", fd.ToString(CultureInfo.InvariantCulture) + "\n");
        }
    }

    /// <summary>Writes a fake efd_lkm sysfs directory under <c>sysfs/</c> and returns its path.</summary>
    public string WriteSysfs(long attachedPid, long attachedFd, long events = 7, long signals = 6, long dropped = 0, long ringSize = 1024, long abiVersion = 1)
    {
        string Line(long v) => v.ToString(CultureInfo.InvariantCulture) + "\n";
        Write("sysfs/attached_pid", Line(attachedPid));
        Write("sysfs/attached_fd", Line(attachedFd));
        Write("sysfs/events", Line(events));
        Write("sysfs/signals", Line(signals));
        Write("sysfs/dropped", Line(dropped));
        Write("sysfs/ring_size", Line(ringSize));
        Write("sysfs/abi_version", Line(abiVersion));
        Write("sysfs/trigger", "");
        return Combine("sysfs");
    }

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
