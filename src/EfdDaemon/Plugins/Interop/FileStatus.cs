using System.Runtime.InteropServices;
using EfdDaemon.Interop;

namespace EfdDaemon.Plugins.Interop;

/// <summary>The owner and mode of a file, from statx(2) (which, unlike <c>struct stat</c>, has one layout on every architecture).</summary>
internal readonly partial record struct FileStatus(uint OwnerUid, UnixFileMode Mode, bool IsDirectory, bool IsSticky)
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const ushort FileTypeMask = 0xF000;
    private const ushort DirectoryType = 0x4000;
    private const ushort StickyBit = 0x200;

    /// <summary>Reads the status of <paramref name="path"/>, following symbolic links (the target is what gets loaded).</summary>
    /// <exception cref="ErrnoException">statx failed (ENOENT, EACCES, …).</exception>
    public static unsafe FileStatus Read(string path)
    {
        StatxBuffer buffer = default;
        var op = new StatxOp(path, &buffer);
        if (Errno.RetryOnEintr(&StatxOp.Statx, ref op) != 0)
        {
            throw Errno.Exception($"statx({path})");
        }

        ushort mode = buffer.Mode;
        return new FileStatus(
            buffer.Uid,
            (UnixFileMode)(mode & 0x1FF),
            (mode & FileTypeMask) == DirectoryType,
            (mode & StickyBit) != 0);
    }

    /// <summary>The first fields of <c>struct statx</c>; the kernel writes all 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(20)]
        public uint Uid;

        [FieldOffset(28)]
        public ushort Mode;
    }

    private readonly unsafe struct StatxOp(string path, StatxBuffer* buffer)
    {
        private readonly string _path = path;
        private readonly StatxBuffer* _buffer = buffer;

        public static long Statx(ref StatxOp op) =>
            NativeMethods.statx(AtFdCwd, op._path, 0, StatxType | StatxMode | StatxUid, op._buffer);
    }

    private static unsafe partial class NativeMethods
    {
        [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "libc's name.")]
        public static partial int statx(int dirfd, string pathname, int flags, uint mask, StatxBuffer* buffer);
    }
}
