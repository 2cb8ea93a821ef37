using System.Globalization;

namespace EfdDaemon.RunFiles;

/// <summary>Writes <c>pid</c> and <c>efd</c> into the run directory (one decimal line each, temp + rename) and removes them on clean stop.</summary>
internal sealed class RunFilePublisher(string runDirectory)
{
    public string PidPath => Path.Combine(runDirectory, RunDirectory.PidFile);

    public string EfdPath => Path.Combine(runDirectory, RunDirectory.EventFdFile);

    /// <summary>Publishes <paramref name="pid"/> and <paramref name="eventFd"/>; creates the directory (0755) if needed.</summary>
    public void Publish(int pid, int eventFd)
    {
        if (!Directory.Exists(runDirectory))
        {
            Directory.CreateDirectory(runDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        WriteAtomically(EfdPath, eventFd);
        WriteAtomically(PidPath, pid);
    }

    /// <summary>Removes both files; missing files are fine.</summary>
    public void Remove()
    {
        File.Delete(PidPath);
        File.Delete(EfdPath);
    }

    private static void WriteAtomically(string path, int value)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, value.ToString(CultureInfo.InvariantCulture) + "\n");
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(temp, path, overwrite: true);
    }
}
