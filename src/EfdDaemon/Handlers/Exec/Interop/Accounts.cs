using System.Globalization;
using System.Runtime.InteropServices;

namespace EfdDaemon.Handlers.Exec.Interop;

/// <summary>User and group lookups (getpwnam_r/getgrnam_r, so NSS sources such as LDAP work too).</summary>
internal static unsafe partial class Accounts
{
    private const int BufferSize = 16 * 1024;

    /// <summary>Resolves a user name, or a decimal uid, to its uid and primary gid.</summary>
    public static bool TryGetUser(string nameOrId, out uint uid, out uint gid)
    {
        Passwd pw;
        Passwd* result = null;
        byte* buffer = stackalloc byte[BufferSize];
        int rc = uint.TryParse(nameOrId, NumberStyles.None, CultureInfo.InvariantCulture, out uint number)
            ? getpwuid_r(number, &pw, buffer, BufferSize, &result)
            : getpwnam_r(nameOrId, &pw, buffer, BufferSize, &result);
        uid = rc == 0 && result != null ? pw.Uid : 0;
        gid = rc == 0 && result != null ? pw.Gid : 0;
        return rc == 0 && result != null;
    }

    /// <summary>Resolves a group name, or a decimal gid, to its gid.</summary>
    public static bool TryGetGroup(string nameOrId, out uint gid)
    {
        Group gr;
        Group* result = null;
        byte* buffer = stackalloc byte[BufferSize];
        int rc = uint.TryParse(nameOrId, NumberStyles.None, CultureInfo.InvariantCulture, out uint number)
            ? getgrgid_r(number, &gr, buffer, BufferSize, &result)
            : getgrnam_r(nameOrId, &gr, buffer, BufferSize, &result);
        gid = rc == 0 && result != null ? gr.Gid : 0;
        return rc == 0 && result != null;
    }

    /// <summary><c>struct passwd</c>: pw_name, pw_passwd, pw_uid, pw_gid, pw_gecos, pw_dir, pw_shell.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint Uid;
        public uint Gid;
        public nint Gecos;
        public nint Dir;
        public nint Shell;
    }

    /// <summary><c>struct group</c>: gr_name, gr_passwd, gr_gid, gr_mem.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Group
    {
        public nint Name;
        public nint Password;
        public uint Gid;
        public nint Members;
    }

#pragma warning disable IDE1006, SA1300 // libc's names.
    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int getpwnam_r(string name, Passwd* pwd, byte* buf, nuint buflen, Passwd** result);

    [LibraryImport("libc.so.6")]
    private static partial int getpwuid_r(uint uid, Passwd* pwd, byte* buf, nuint buflen, Passwd** result);

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int getgrnam_r(string name, Group* grp, byte* buf, nuint buflen, Group** result);

    [LibraryImport("libc.so.6")]
    private static partial int getgrgid_r(uint gid, Group* grp, byte* buf, nuint buflen, Group** result);
#pragma warning restore IDE1006, SA1300
}
