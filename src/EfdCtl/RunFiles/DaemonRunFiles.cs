using System.Globalization;
using EfdDaemon.RunFiles;

namespace EfdCtl.RunFiles;

/// <summary>What the daemon's run directory says: its pid, its eventfd number, its control socket.</summary>
internal sealed record DaemonRunFiles(string Directory, int Pid, int? EventFd)
{
    public string SocketPath => Path.Combine(Directory, RunDirectory.ControlSocketFile);

    /// <summary>
    /// Reads <c>pid</c> (required) and <c>efd</c> (optional) from <paramref name="directory"/> and
    /// checks the process is alive; throws a not-running <see cref="CtlException"/> otherwise.
    /// </summary>
    public static DaemonRunFiles Read(string directory, bool isRoot)
    {
        string pidPath = Path.Combine(directory, RunDirectory.PidFile);
        string? pidText = ReadFile(pidPath, isRoot)
            ?? throw CtlException.NotRunning($"no {pidPath}");
        int pid = ParsePositive(pidText, pidPath, allowZero: false);
        if (!IsAlive(pid))
        {
            throw CtlException.NotRunning($"stale {pidPath}: no process {pid}");
        }

        string efdPath = Path.Combine(directory, RunDirectory.EventFdFile);
        string? efdText = ReadFile(efdPath, isRoot);
        int? efd = efdText is null ? null : ParsePositive(efdText, efdPath, allowZero: true);
        return new DaemonRunFiles(directory, pid, efd);
    }

    /// <summary>The process exists (possibly owned by another user): <c>/proc/PID</c> is there.</summary>
    public static bool IsAlive(int pid) => pid > 0 && System.IO.Directory.Exists(
        string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}"));

    private static string? ReadFile(string path, bool isRoot)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            throw CtlException.PermissionDenied($"cannot read {path}", isRoot);
        }
    }

    private static int ParsePositive(string text, string path, bool allowZero)
    {
        if (!int.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value) || (value == 0 && !allowZero))
        {
            throw CtlException.Failed($"{path} does not hold a {(allowZero ? "file descriptor" : "process id")}: '{text.Trim()}'");
        }

        return value;
    }
}
