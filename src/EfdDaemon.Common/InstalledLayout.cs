namespace EfdDaemon;

/// <summary>Where the Debian package installs things; the programs' defaults (src/EfdDaemon/INTERFACES.md).</summary>
internal static class InstalledLayout
{
    public const string ConfigDirectory = "/etc/efd-daemon";

    /// <summary>The daemon's binary, which <c>efdctl check-config</c> runs.</summary>
    public const string DaemonPath = "/usr/lib/efd-daemon/efd-daemon";

    public const string PackagePluginDirectory = "/usr/lib/efd-daemon/plugins";

    /// <summary>The administrator's plugins; a plugin here overrides the package's of the same name.</summary>
    public const string LocalPluginDirectory = "/usr/local/lib/efd-daemon/plugins";

    public const string Modprobe = "/sbin/modprobe";
}
