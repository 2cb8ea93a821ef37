namespace EfdCtl.Interop;

/// <summary>The errno values efdctl tells apart (Linux, every architecture it runs on).</summary>
/// <remarks>Tmds.LibC exposes these as static fields, which cannot be used in patterns.</remarks>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int ENOSYS = 38;
}
