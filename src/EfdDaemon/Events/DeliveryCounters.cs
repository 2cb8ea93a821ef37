namespace EfdDaemon.Events;

/// <summary>
/// The daemon-wide delivery figures, kept once: the status reply, the final log line and the
/// metrics (observable instruments) all read these and the handlers' <see cref="HandlerCounters"/>.
/// </summary>
internal sealed class DeliveryCounters
{
    private long _received;
    private long _redelivered;
    private long _kernelLost;
    private long _listenerSkipped;
    private long _committed;

    /// <summary>Gets the events read: records from the device, or eventfd reads without one.</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Gets the records that came back flagged redelivered after an earlier run died before committing them.</summary>
    public long Redelivered => Volatile.Read(ref _redelivered);

    /// <summary>Gets the records missing from the sequence the reader saw (hop <see cref="LossHop.Kernel"/>).</summary>
    public long KernelLost => Volatile.Read(ref _kernelLost);

    /// <summary>Gets the events skipped for control-socket listeners (hop <see cref="LossHop.Listener"/>).</summary>
    public long ListenerSkipped => Volatile.Read(ref _listenerSkipped);

    /// <summary>Gets the highest <c>seq</c> committed to the module (0: none, or no acknowledged delivery).</summary>
    public ulong Committed => (ulong)Volatile.Read(ref _committed);

    public void AddReceived(long n) => Interlocked.Add(ref _received, n);

    public void AddRedelivered(long n) => Interlocked.Add(ref _redelivered, n);

    public void AddKernelLost(long n) => Interlocked.Add(ref _kernelLost, n);

    public void AddListenerSkipped(long n) => Interlocked.Add(ref _listenerSkipped, n);

    public void SetCommitted(ulong seq) => Volatile.Write(ref _committed, (long)seq);
}

/// <summary>One handler's figures; written by its queue, read by anyone.</summary>
/// <remarks>
/// Queued and handled have one writer at a time (the reader thread while the handler is on the fast
/// path, else the reader and the consumer respectively), so they are plain increments, not interlocked.
/// </remarks>
internal sealed class HandlerCounters
{
    private long _queued;
    private long _handled;
    private long _failures;
    private long _timeouts;
    private long _policyDrops;
    private long _quarantineDrops;
    private long _demotionDrops;
    private long _demotions;
    private long _inlineDemotions;

    public long Queued => Volatile.Read(ref _queued);

    public long Handled => Volatile.Read(ref _handled);

    public long Failures => Volatile.Read(ref _failures);

    /// <summary>Gets the calls cancelled after their timeout (hop <see cref="LossHop.Timeout"/>).</summary>
    public long Timeouts => Volatile.Read(ref _timeouts);

    public long Demotions => Volatile.Read(ref _demotions);

    /// <summary>Gets whether (1) or not (0) the handler left the fast path after a call overran its <c>InlineBudget</c>.</summary>
    public long InlineDemotions => Volatile.Read(ref _inlineDemotions);

    /// <summary>Gets the events dropped from the queue, on every hop.</summary>
    public long Dropped => PolicyDrops + QuarantineDrops + DemotionDrops;

    public long PolicyDrops => Volatile.Read(ref _policyDrops);

    public long QuarantineDrops => Volatile.Read(ref _quarantineDrops);

    public long DemotionDrops => Volatile.Read(ref _demotionDrops);

    public void AddQueued() => Volatile.Write(ref _queued, _queued + 1);

    public void AddHandled() => Volatile.Write(ref _handled, _handled + 1);

    public void AddFailure() => Interlocked.Increment(ref _failures);

    public void AddTimeout() => Interlocked.Increment(ref _timeouts);

    public void AddDemotion() => Interlocked.Increment(ref _demotions);

    public void AddInlineDemotion() => Interlocked.Increment(ref _inlineDemotions);

    /// <summary>Counts one event dropped from the queue on <paramref name="hop"/>; returns that hop's total.</summary>
    public long AddDrop(LossHop hop) => hop switch
    {
        LossHop.Quarantine => Interlocked.Increment(ref _quarantineDrops),
        LossHop.Demotion => Interlocked.Increment(ref _demotionDrops),
        _ => Interlocked.Increment(ref _policyDrops),
    };

    /// <summary>Gets the count of <paramref name="hop"/> for this handler (0 for hops that are not a handler's).</summary>
    public long Lost(LossHop hop) => hop switch
    {
        LossHop.Policy => PolicyDrops,
        LossHop.Timeout => Timeouts,
        LossHop.Quarantine => QuarantineDrops,
        LossHop.Demotion => DemotionDrops,
        _ => 0,
    };
}
