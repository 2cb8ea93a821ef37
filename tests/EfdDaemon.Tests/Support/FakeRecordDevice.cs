using System.Runtime.InteropServices;
using EfdDaemon.Interop;
using EfdDaemon.Kernel;

namespace EfdDaemon.Tests.Support;

/// <summary>
/// Stands in for /dev/efd_lkm on the host: a socket pair whose daemon end the reader reads records
/// from and writes its commits to (as it would to the device), and whose test end writes records and
/// reads the commits. Pollable, non-blocking, whole records. The module's own behaviour (ring,
/// redelivery, doorbell) is tested in the VM (tests/kernel); this only lets the daemon's side be driven.
/// </summary>
internal sealed class FakeRecordDevice : IDisposable
{
    private readonly FileDescriptor _test;
    private readonly Poller _commits;
    private readonly byte[] _commit = new byte[sizeof(ulong)];
    private readonly List<ulong> _seen = [];

    public FakeRecordDevice(long ringSize = 8192, ulong committed = 0)
    {
        (int daemonEnd, int testEnd) = Native.SocketPair();
        var daemon = new FileDescriptor();
        daemon.SetDescriptor(daemonEnd);
        _test = new FileDescriptor();
        _test.SetDescriptor(testEnd);
        _commits = new Poller(_test);
        Device = RecordDevice.FromDescriptor(daemon, acknowledged: true, ringSize, committed);
    }

    /// <summary>Gets the daemon's end, for <see cref="Events.EventfdSource.UseRecordDevice"/>.</summary>
    public RecordDevice Device { get; }

    /// <summary>Gets every commit value read so far, the opt-in (0) first.</summary>
    public IReadOnlyList<ulong> Commits
    {
        get
        {
            Drain();
            return [.. _seen];
        }
    }

    /// <summary>Writes TRIGGER records with these sequence numbers in one write.</summary>
    public void Write(IEnumerable<ulong> sequences, bool redelivered = false)
    {
        ulong[] seqs = [.. sequences];
        byte[] bytes = new byte[seqs.Length * EfdLkmRecord.Size];
        for (int i = 0; i < seqs.Length; i++)
        {
            var r = new EfdLkmRecord
            {
                Seq = seqs[i],
                TsNs = 10,
                Kind = (uint)EventKind.Trigger,
                Len = 8,
                Flags = redelivered ? EfdLkmRecord.FlagRedelivered : (ushort)0,
            };
            MemoryMarshal.Write(bytes.AsSpan(i * EfdLkmRecord.Size), in r);
        }

        if (!Fd.TryWrite(_test, bytes, "write(fake device)"))
        {
            throw new IOException("The fake device's socket buffer is full.");
        }
    }

    /// <summary>Writes one record of any kind.</summary>
    public void WriteRecord(ulong seq, EventKind kind, ReadOnlySpan<byte> payload)
    {
        var r = new EfdLkmRecord { Seq = seq, TsNs = 10, Kind = (uint)kind, Len = (ushort)payload.Length };
        payload.CopyTo(MemoryMarshal.AsBytes(new Span<RecordPayload>(ref r.Data)));
        byte[] bytes = new byte[EfdLkmRecord.Size];
        MemoryMarshal.Write(bytes, in r);
        if (!Fd.TryWrite(_test, bytes, "write(fake device)"))
        {
            throw new IOException("The fake device's socket buffer is full.");
        }
    }

    /// <summary>Waits until the daemon has committed at least <paramref name="seq"/>; returns the commit read.</summary>
    public ulong WaitForCommit(ulong seq)
    {
        long deadline = Environment.TickCount64 + (long)TestTimeouts.Bound.TotalMilliseconds;
        while (true)
        {
            Drain();
            if (_seen.Count > 0 && _seen[^1] >= seq)
            {
                return _seen[^1];
            }

            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                throw new TimeoutException($"No commit of {seq} within {TestTimeouts.Bound}; commits so far: {string.Join(',', _seen)}");
            }

            _commits.Wait((int)left);
        }
    }

    public void Dispose()
    {
        _commits.Dispose();
        Device.Dispose();
        _test.Dispose();
    }

    private void Drain()
    {
        while (Fd.TryRead(_test, _commit, "read(fake device)", out int n) && n == _commit.Length)
        {
            _seen.Add(MemoryMarshal.Read<ulong>(_commit));
        }
    }
}
