namespace EfdDaemon.Events;

/// <summary>Where an event can be lost on its way to a handler (src/EfdDaemon/INTERFACES.md, "Losses").</summary>
internal enum LossHop
{
    /// <summary>The module overwrote records no reader had received: the reader sees the gap in <c>seq</c>.</summary>
    Kernel,

    /// <summary>The module overwrote records delivered to the daemon but not committed (sysfs <c>dropped_inflight</c>): lost only if the daemon then dies.</summary>
    InFlight,

    /// <summary>A handler's queue was full under its configured <c>DropOldest</c> or <c>DropNewest</c> policy.</summary>
    Policy,

    /// <summary>A handler's call outlived its <c>Timeout</c> and was cancelled.</summary>
    Timeout,

    /// <summary>Dropped from the queue of a handler quarantined for ignoring cancellation.</summary>
    Quarantine,

    /// <summary>Dropped from the queue of a <c>Lossless</c> handler demoted after holding the reader back past its <c>MaxStall</c>.</summary>
    Demotion,

    /// <summary>Skipped for a control-socket listener that could not keep up.</summary>
    Listener,
}
