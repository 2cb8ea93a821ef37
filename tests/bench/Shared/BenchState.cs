using System.Diagnostics;
using System.IO.MemoryMappedFiles;

namespace EfdDaemon.Bench;

/// <summary>
/// What a benchmark handler shares with the signaller, possibly in another process: the pong
/// eventfd and three counters in a mapped file (events, units, answering).
/// </summary>
/// <remarks>
/// Files in the state directory: <c>pong</c> ("PID FD", for pidfd_getfd) and <c>counters</c>
/// (three native 64-bit integers). The side that owns the handler calls <see cref="Create"/>, the
/// signaller <see cref="Open"/>.
/// </remarks>
public sealed unsafe class BenchState : IDisposable
{
    private const int CountersSize = 64;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long* _counters;
    private readonly bool _ownsPong;

    private BenchState(string counterPath, int pongFd, bool ownsPong)
    {
        _file = MemoryMappedFile.CreateFromFile(counterPath, FileMode.OpenOrCreate, null, CountersSize);
        _view = _file.CreateViewAccessor(0, CountersSize);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _counters = (long*)p;
        PongFd = pongFd;
        _ownsPong = ownsPong;
    }

    /// <summary>Gets this process's descriptor of the pong eventfd.</summary>
    public int PongFd { get; }

    /// <summary>Gets the number of events handled so far.</summary>
    public long Events => Volatile.Read(ref _counters[0]);

    /// <summary>Gets the sum of <see cref="KernelEvent.Count"/> so far.</summary>
    public long Units => Volatile.Read(ref _counters[1]);

    /// <summary>Gets or sets whether the handler answers each event on the pong eventfd (latency) or only counts (throughput).</summary>
    public bool Answering
    {
        get => Volatile.Read(ref _counters[2]) != 0;
        set => Volatile.Write(ref _counters[2], value ? 1 : 0);
    }

    /// <summary>Creates the state in <paramref name="directory"/> for a handler in this process.</summary>
    public static BenchState Create(string directory)
    {
        Directory.CreateDirectory(directory);
        string counters = Path.Combine(directory, "counters");
        File.Delete(counters);
        int pong = BenchNative.CreateEventfd();
        var state = new BenchState(counters, pong, ownsPong: true) { Answering = true };
        string tmp = Path.Combine(directory, "pong.tmp");
        File.WriteAllText(tmp, FormattableString.Invariant($"{Environment.ProcessId} {pong}\n"));
        File.Move(tmp, Path.Combine(directory, "pong"), overwrite: true);
        return state;
    }

    /// <summary>Opens a state another process created (its pong eventfd through pidfd_getfd).</summary>
    public static BenchState Open(string directory)
    {
        string[] pong = File.ReadAllText(Path.Combine(directory, "pong")).Split(' ', StringSplitOptions.TrimEntries);
        int fd = BenchNative.GetFdOf(int.Parse(pong[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(pong[1], System.Globalization.CultureInfo.InvariantCulture));
        return new BenchState(Path.Combine(directory, "counters"), fd, ownsPong: true);
    }

    /// <summary>
    /// Counts one event of <paramref name="count"/> units and, when answering, writes the time of the
    /// call to the pong eventfd. The clock is read only then: the C reader does not read it when counting.
    /// </summary>
    public void Record(ulong count)
    {
        Volatile.Write(ref _counters[0], _counters[0] + 1);
        Volatile.Write(ref _counters[1], _counters[1] + (long)count);
        if (_counters[2] != 0)
        {
            BenchNative.Write(PongFd, (ulong)Stopwatch.GetTimestamp());
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        if (_ownsPong)
        {
            BenchNative.Close(PongFd);
        }
    }
}
