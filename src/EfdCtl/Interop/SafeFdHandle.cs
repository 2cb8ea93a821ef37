using System.Runtime.InteropServices;
using Tmds.Linux;

namespace EfdCtl.Interop;

/// <summary>Owns one file descriptor of this process; allocated before the syscall that creates it.</summary>
internal sealed class SafeFdHandle : SafeHandle
{
    public SafeFdHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == -1;

    internal int DangerousFd => (int)handle;

    internal void SetFd(long fd) => SetHandle((nint)fd);

    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
