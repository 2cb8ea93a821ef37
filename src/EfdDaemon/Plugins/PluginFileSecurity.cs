using EfdDaemon.Plugins.Interop;

namespace EfdDaemon.Plugins;

/// <summary>
/// Decides whether a plugin's files may be trusted: code that runs as root must be writable by root
/// alone. Returns one reason per refusal, naming the path and the check that failed.
/// </summary>
/// <remarks>
/// Checked: every directory above the plugin directory (owned by root or <see cref="RequiredOwnerUid"/>,
/// not writable by group or others unless sticky, as <c>/tmp</c> is), the plugin directory, the
/// plugin's folder and everything in it, recursively (owned by <see cref="RequiredOwnerUid"/>, not
/// writable by group or others). Symbolic links are followed: their targets are what gets loaded.
/// </remarks>
internal sealed class PluginFileSecurity
{
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    public PluginFileSecurity(uint requiredOwnerUid = 0)
    {
        RequiredOwnerUid = requiredOwnerUid;
    }

    /// <summary>Gets the owner every plugin file must have: root (0) in production; tests inject another uid to prove refusals.</summary>
    public uint RequiredOwnerUid { get; }

    /// <summary>Checks a plugin directory (<c>/usr/lib/efd-daemon/plugins</c>) and the directories above it.</summary>
    public string? CheckPluginDirectory(string directory)
    {
        string full = Path.GetFullPath(directory);
        for (string? parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            FileStatus status = FileStatus.Read(parent);
            if (status.OwnerUid != 0 && status.OwnerUid != RequiredOwnerUid)
            {
                return $"directory {parent} above the plugin directory is owned by uid {status.OwnerUid}, not root";
            }

            if ((status.Mode & GroupOrOtherWrite) != 0 && !status.IsSticky)
            {
                return $"directory {parent} above the plugin directory is writable by group or others (mode {Octal(status.Mode)})";
            }
        }

        return CheckEntry(full, FileStatus.Read(full));
    }

    /// <summary>Checks a plugin's folder and everything in it.</summary>
    public string? CheckPluginFolder(string folder)
    {
        string? reason = CheckEntry(folder, FileStatus.Read(folder));
        if (reason is not null)
        {
            return reason;
        }

        foreach (string entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
        {
            reason = CheckEntry(entry, FileStatus.Read(entry));
            if (reason is not null)
            {
                return reason;
            }
        }

        return null;
    }

    private string? CheckEntry(string path, FileStatus status)
    {
        string what = status.IsDirectory ? "directory" : "file";
        if (status.OwnerUid != RequiredOwnerUid)
        {
            return $"{what} {path} is owned by uid {status.OwnerUid}, not {Owner(RequiredOwnerUid)}";
        }

        if ((status.Mode & GroupOrOtherWrite) != 0)
        {
            return $"{what} {path} is writable by group or others (mode {Octal(status.Mode)})";
        }

        return null;
    }

    private static string Owner(uint uid) => uid == 0 ? "root" : $"uid {uid}";

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
