using System.Runtime.InteropServices;
using EfdDaemon.Interop;

namespace EfdDaemon.Kernel;

/// <summary>
/// <c>/dev/efd_lkm</c> as the reader holds it: plain (read-only; a record read is consumed; what ABI 1
/// modules offer) or acknowledged (read-write, opted in by a commit of 0 right after <c>open()</c>;
/// a record stays in the module's ring until <see cref="Commit"/> passes it, and comes back flagged
/// redelivered to the next <c>open()</c> if this one is closed first).
/// </summary>
/// <remarks>
/// Used by the reader thread only. <see cref="WindowRoom"/> keeps delivered − committed within half of
/// <c>ring_size</c> (contract 4 of DESIGN.md): the other half is where new records wait while the
/// handlers finish, so the module never has to overwrite a record delivered and unfinished.
/// </remarks>
internal sealed class RecordDevice : IDisposable
{
    private readonly byte[] _commit = new byte[sizeof(ulong)];

    private RecordDevice(string path, FileDescriptor descriptor, bool acknowledged, long ringSize, ulong committed)
    {
        Committed = committed;
        Path = path;
        Descriptor = descriptor;
        Acknowledged = acknowledged;
        Window = acknowledged ? (int)Math.Clamp(ringSize / 2, 1, int.MaxValue) : int.MaxValue;
    }

    public string Path { get; }

    public FileDescriptor Descriptor { get; }

    /// <summary>Gets whether this open file commits (ABI 2) rather than consuming on read.</summary>
    public bool Acknowledged { get; }

    /// <summary>Gets the most records delivered and not committed at once (<see cref="int.MaxValue"/> when plain).</summary>
    public int Window { get; }

    /// <summary>Gets the highest <c>seq</c> read so far (0: none yet).</summary>
    public ulong LastDelivered { get; private set; }

    /// <summary>Gets the highest <c>seq</c> committed: what the module had committed before the first record read, then what <see cref="Commit"/> wrote.</summary>
    public ulong Committed { get; private set; }

    /// <summary>Gets how many more records may be read before the window is full.</summary>
    public int WindowRoom => Acknowledged ? (int)Math.Max(0, Window - (long)(LastDelivered - Committed)) : int.MaxValue;

    /// <summary>Opens <paramref name="path"/>; with <paramref name="acknowledged"/>, read-write and opted in before the first read.</summary>
    /// <param name="path">The device.</param>
    /// <param name="acknowledged">Opt into acknowledged delivery (the module speaks ABI 2).</param>
    /// <param name="ringSize">The module's <c>ring_size</c>, for the window.</param>
    /// <param name="committed">The module's <c>committed</c> before the open (0 if unknown): where the window starts.</param>
    /// <exception cref="ErrnoException">open() or the opt-in failed (EBUSY: another reader has it open).</exception>
    public static RecordDevice Open(string path, bool acknowledged, long ringSize, ulong committed = 0)
    {
        FileDescriptor fd = acknowledged ? Fd.OpenReadWriteNonBlocking(path) : Fd.OpenReadNonBlocking(path);
        var device = new RecordDevice(path, fd, acknowledged, ringSize, committed);
        if (acknowledged)
        {
            try
            {
                device.Write(0);
            }
            catch
            {
                device.Dispose();
                throw;
            }
        }

        return device;
    }

    /// <summary>Reads whole records into <paramref name="buffer"/>; <see langword="false"/> when there are none (EAGAIN).</summary>
    public bool TryRead(Span<byte> buffer, out int records)
    {
        bool ok = Fd.TryRead(Descriptor, buffer, "read(efd_lkm)", out int n);
        records = n / EfdLkmRecord.Size;
        return ok && records > 0;
    }

    /// <summary>Notes that the record <paramref name="seq"/> was read (in order).</summary>
    public void NoteDelivered(ulong seq)
    {
        if (LastDelivered == 0 && (Committed == 0 || Committed >= seq))
        {
            // Everything before the first record this open file gets was committed or consumed already
            // (a committed figure at or above it means the module was reloaded and counts from 1 again).
            Committed = seq - 1;
        }

        LastDelivered = seq;
    }

    /// <summary>Commits every record up to <paramref name="seq"/> when that is new; returns whether it wrote.</summary>
    /// <exception cref="ErrnoException">The module refused it (EINVAL: above what was delivered).</exception>
    public bool Commit(ulong seq)
    {
        if (!Acknowledged || seq <= Committed || seq > LastDelivered)
        {
            return false;
        }

        Write(seq);
        Committed = seq;
        return true;
    }

    public void Dispose() => Descriptor.Dispose();

    private void Write(ulong seq)
    {
        MemoryMarshal.Write(_commit, in seq);
        if (!Fd.TryWrite(Descriptor, _commit, "write(efd_lkm, commit)"))
        {
            throw new ErrnoException($"write(efd_lkm, commit {seq})", Errno.EAGAIN);
        }
    }
}
