using Microsoft.Extensions.Logging;

namespace EfdDaemon.Events;

/// <summary>
/// The fast path (contract 4 of DESIGN.md): an <see cref="IInlineEventHandler"/> runs on the reader
/// thread, each call timed on the reader's monotonic clock, until it is shown to overrun its
/// <c>InlineBudget</c>; from then on it runs on this queue's own thread, for good.
/// </summary>
/// <remarks>
/// <para>One wall-clock overrun alone does not show it. On a shared 2-vCPU machine a no-op call is
/// stretched past 20 µs once in thousands of calls, sometimes twice within a thousand, by what is
/// not the handler: interrupts, the hypervisor taking the vCPU (for milliseconds at times), the
/// scheduler, a collection, the JIT. So an overrun is not held against the handler on its first call
/// (the runtime's one-time work for it), nor when a collection ran or the reader compiled code
/// meanwhile, nor, if it is shorter than <see cref="LongOverrun"/> budgets, when the JIT compiled on
/// any thread (tiering code up stops threads briefly to patch call sites).</para>
/// <para>Nor when the reader was preempted meanwhile (its involuntary context switches moved since
/// they were last sampled, at most 1 ms before the call): on a shared vCPU the handler's own write
/// that wakes another task can hand that task the CPU before the call returns. Otherwise the handler
/// leaves the fast path at its <see cref="OverrunLimit"/>th overrun within <see cref="OverrunWindow"/>
/// calls; and after an overrun longer than <see cref="LongOverrun"/> budgets (1 ms at the default:
/// also what the hypervisor can steal, unseen) the next call is timed on the thread's CPU clock,
/// with its voluntary context switches counted, and leaves if it too overruns. A handler slow on
/// every call thus holds the reader for at most two calls when they are long, and
/// <see cref="OverrunLimit"/> when they are short.</para>
/// </remarks>
internal sealed partial class HandlerQueue
{
    /// <summary>Overruns within <see cref="OverrunWindow"/> calls that end the fast path.</summary>
    public const int OverrunLimit = 8;

    /// <summary>The calls over which <see cref="OverrunLimit"/> overruns are counted.</summary>
    public const int OverrunWindow = 1000;

    /// <summary>Budgets past which a counted overrun makes the next call a test on the thread's CPU clock (1 ms at the default budget).</summary>
    public const int LongOverrun = 50;

    /// <summary>Calls the handler on the reader thread; the event is finished when the call returns. Reader thread only.</summary>
    private void InvokeInline(in EventRecord record, HandlerSettings settings)
    {
        RuntimeMark before = _probe!.Runtime();
        bool testing = _testNextCall;
        ThreadMark threadBefore = testing ? _probe.Thread() : default;
        long started = _probe.CallStart();
        _probe.Refresh(started);

        try
        {
            _inlineHandler!.Handle(record.ToKernelEvent(_inlinePayload!));
        }
#pragma warning disable CA1031 // A handler's exception is logged and counted; the handler is kept.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Counters.AddFailure();
            Log.HandlerFailed(_logger, Name, record.Sequence, EventKindNames.GetName(record.Kind), ex);
        }

        long ended = _time.GetTimestamp();
        _probe.CallEnded(ended);
        Counters.AddQueued();
        Counters.AddHandled();
        TimeSpan took = _time.GetElapsedTime(started, ended);
        if (_duration is { Enabled: true } duration)
        {
            duration.Record(took.TotalSeconds, _tag);
        }

        if (testing)
        {
            _testNextCall = false;
            Judge(record.Sequence, took, threadBefore, _probe.Thread(), settings.InlineBudget);
        }
        else if (took > settings.InlineBudget)
        {
            NoteOverrun(record.Sequence, took, before, ended, settings.InlineBudget);
        }
    }

    /// <summary>The call after a long overrun: over the budget on the thread's CPU clock, or on the wall clock when it waited, ends the fast path.</summary>
    private void Judge(ulong sequence, TimeSpan took, ThreadMark before, ThreadMark after, TimeSpan budget)
    {
        bool waited = after.VoluntarySwitches != before.VoluntarySwitches;
        TimeSpan cpu = TimeSpan.FromTicks((after.CpuNanoseconds - before.CpuNanoseconds) / 100);
        if ((waited && took > budget) || cpu > budget)
        {
            LeaveFastPath(waited ? took : cpu, sequence, Counters.Handled, budget, waited ? "waiting, in the call after a long overrun" : "on the thread's CPU clock, in the call after a long overrun");
        }
        else
        {
            Log.InlineOverrunExcused(_logger, Name, took, sequence, Counters.Handled, budget, "the call after a long overrun kept within the budget on the thread's CPU clock");
        }
    }

    /// <summary>An overrun on the wall clock: excused, tolerated, or the end of the fast path.</summary>
    private void NoteOverrun(ulong sequence, TimeSpan took, RuntimeMark before, long ended, TimeSpan budget)
    {
        long calls = Counters.Handled;
        bool longOverrun = took > budget * LongOverrun;
        RuntimeMark after = _probe!.Runtime();
        if (calls == 1 || (longOverrun ? after.StoppedTheReaderSince(before) : after.MayHavePausedTheReaderSince(before)))
        {
            Log.InlineOverrunExcused(_logger, Name, took, sequence, calls, budget, calls == 1 ? "on its first call" : "while the runtime collected or compiled");
            return;
        }

        if (_probe.Preempted(ended))
        {
            Log.InlineOverrunExcused(_logger, Name, took, sequence, calls, budget, "while another task had the reader's CPU");
            return;
        }

        int slot = _overruns % OverrunLimit;
        _overrunCalls[slot] = calls;
        _overruns++;
        if (_overruns >= OverrunLimit && calls - _overrunCalls[_overruns % OverrunLimit] < OverrunWindow)
        {
            LeaveFastPath(took, sequence, calls, budget, $"{OverrunLimit} overruns within {OverrunWindow} calls");
            return;
        }

        // A long stall without preemption may still be the hypervisor's (steal time shows in no
        // counter of the guest's own): the next call, timed on the thread's CPU clock, decides.
        _testNextCall = longOverrun;
        Log.InlineOverrunTolerated(_logger, Name, took, sequence, calls, budget, OverrunLimit, OverrunWindow);
    }

    private void LeaveFastPath(TimeSpan took, ulong sequence, long calls, TimeSpan budget, string reason)
    {
        lock (_gate)
        {
            LeaveFastPathLocked();
        }

        Counters.AddInlineDemotion();
        Log.HandlerLeftFastPath(_logger, Name, took, sequence, calls, budget, reason);
    }

    /// <summary>Sends the next events to the queue and starts its consumer. Under the gate, from the reader thread (an overrun) or a reload.</summary>
    /// <remarks>The reader offers the next event only after the last inline call returned, so order is kept.</remarks>
    private void LeaveFastPathLocked()
    {
        if (!_inline)
        {
            return;
        }

        Volatile.Write(ref _inline, false);
        StartConsumerLocked();
    }

    private void StartConsumerLocked()
    {
        if (_thread is null)
        {
            _thread = new Thread(Consume) { IsBackground = true, Name = $"efd-handler-{Name}" };
            _thread.Start();
        }
    }
}
