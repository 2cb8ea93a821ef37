using EfdDaemon.Interop;

namespace EfdDaemon.Events;

/// <summary>
/// What the runtime did while a call ran: garbage collections (they stop every thread), methods
/// compiled on the reader thread (a first call into code not compiled yet), and methods compiled on
/// any thread (while the JIT tiers code up it also stops threads briefly, to patch call sites).
/// </summary>
internal readonly record struct RuntimeMark(int Collections, long CompiledHere, long CompiledAnywhere)
{
    /// <summary>Tells whether something that stops the reader for longer than a moment happened since <paramref name="before"/>.</summary>
    public bool StoppedTheReaderSince(RuntimeMark before) => Collections != before.Collections || CompiledHere != before.CompiledHere;

    /// <summary>Tells whether anything that can stop the reader briefly happened since <paramref name="before"/>.</summary>
    public bool MayHavePausedTheReaderSince(RuntimeMark before) => this != before;
}

/// <summary>The reader thread's CPU time and the times it gave up its CPU to wait.</summary>
internal readonly record struct ThreadMark(long CpuNanoseconds, long VoluntarySwitches);

/// <summary>
/// The reader thread's clock for fast-path calls (<see cref="CallStart"/>, <see cref="CallEnded"/>)
/// and the figures that tell whether a call that overran its budget was slowed by something other
/// than the handler: the runtime (a collection, compiling code), the scheduler (another task took
/// the reader's CPU), the hypervisor (the next call, timed on the thread's CPU clock). Read on the
/// reader thread only.
/// </summary>
/// <remarks>
/// <see cref="Runtime"/> reads three runtime counters, cheap enough for every call. The reader's
/// involuntary context switches cost a system call, so they are sampled at most once per
/// <see cref="SampleInterval"/> as calls begin (<see cref="Refresh"/>) and once at each overrun
/// (<see cref="Preempted"/>); an overrun is excused when they moved since that sample.
/// <see cref="Thread"/> costs two system calls and is read only around the call after a long overrun.
/// </remarks>
internal sealed class InlineProbe
{
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(1);

    private readonly Func<RuntimeMark> _runtime;
    private readonly Func<long> _switches;
    private readonly Func<ThreadMark> _thread;
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private bool _inBatch;
    private long _lastCallEnded;
    private bool _sampled;
    private long _sampledAt;
    private long _switchesAt;

    /// <param name="time">The clock whose timestamps <see cref="Refresh"/> receives.</param>
    /// <param name="runtime">Reads the runtime's counters; defaults to <see cref="GC.CollectionCount(int)"/> and <see cref="System.Runtime.JitInfo.GetCompiledMethodCount(bool)"/>.</param>
    /// <param name="switches">Reads the calling thread's involuntary context switches; defaults to <see cref="ThreadUsage.InvoluntarySwitches"/>.</param>
    /// <param name="thread">Reads the calling thread's CPU time and voluntary switches, for a call timed after a long overrun; defaults to <see cref="ThreadUsage"/>.</param>
    public InlineProbe(TimeProvider time, Func<RuntimeMark>? runtime = null, Func<long>? switches = null, Func<ThreadMark>? thread = null)
    {
        _runtime = runtime ?? (static () => new RuntimeMark(
            GC.CollectionCount(0),
            System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true),
            System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false)));
        _switches = switches ?? ThreadUsage.InvoluntarySwitches;
        _thread = thread ?? (static () => new ThreadMark(ThreadUsage.CpuTimeNanoseconds(), ThreadUsage.VoluntarySwitches()));
        _time = time;
        _intervalTicks = (long)(SampleInterval.TotalSeconds * time.TimestampFrequency);

        // Bound and compiled now, so that no call timed on the reader thread times that too.
        _ = _runtime();
        _ = _switches();
        _ = _thread();
    }

    public RuntimeMark Runtime() => _runtime();

    /// <summary>
    /// Gets when a fast-path call begins: the end of the previous one in this batch of the reader's, or
    /// now at the batch's first. So a call costs one clock read, not two; it is timed with the read
    /// and dispatch of its event (well under a microsecond), which keeps the budget conservative.
    /// </summary>
    public long CallStart()
    {
        if (_inBatch)
        {
            return _lastCallEnded;
        }

        _inBatch = true;
        return _time.GetTimestamp();
    }

    /// <summary>Notes that a fast-path call ended at <paramref name="ended"/>.</summary>
    public void CallEnded(long ended) => _lastCallEnded = ended;

    /// <summary>The reader ended a batch (it may sleep before the next): the next call reads the clock again.</summary>
    public void EndBatch() => _inBatch = false;

    /// <summary>Reads the thread's CPU time and voluntary switches: two system calls, for the call after a long overrun only.</summary>
    public ThreadMark Thread() => _thread();

    /// <summary>Samples the switches if the last sample is older than <see cref="SampleInterval"/> at <paramref name="now"/>; called as a call begins.</summary>
    public void Refresh(long now)
    {
        if (!_sampled || now - _sampledAt >= _intervalTicks)
        {
            Sample(now);
        }
    }

    /// <summary>Tells whether the reader was preempted since the last sample; samples again.</summary>
    public bool Preempted(long now)
    {
        long before = _switchesAt;
        bool sampled = _sampled;
        Sample(now);
        return sampled && _switchesAt != before;
    }

    private void Sample(long now)
    {
        _switchesAt = _switches();
        _sampledAt = now;
        _sampled = true;
    }
}
