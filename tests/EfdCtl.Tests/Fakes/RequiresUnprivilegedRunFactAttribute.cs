namespace EfdCtl.Tests.Fakes;

/// <summary>
/// A test that runs efdctl as user nobody through setpriv: needs root (to drop to nobody), setpriv,
/// and an efdctl.dll that nobody can reach. Skipped, with the reason, when any is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresUnprivilegedRunFactAttribute : FactAttribute
{
    public const string Setpriv = "/usr/bin/setpriv";

    public RequiresUnprivilegedRunFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "requires root, to run efdctl as user nobody";
        }
        else if (!File.Exists(Setpriv))
        {
            Skip = $"requires {Setpriv} (util-linux)";
        }
        else if (!WorldReachable(EfdctlProcess.Dll))
        {
            Skip = $"user nobody cannot read {EfdctlProcess.Dll} (a parent directory is not world-searchable)";
        }
    }

    private static bool WorldReachable(string path)
    {
        if (!File.Exists(path) || !File.GetUnixFileMode(path).HasFlag(UnixFileMode.OtherRead))
        {
            return false;
        }

        for (DirectoryInfo? d = new FileInfo(path).Directory; d is not null; d = d.Parent)
        {
            if (!d.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }
}
