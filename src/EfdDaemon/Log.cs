using EfdDaemon.Events;
using Microsoft.Extensions.Logging;

namespace EfdDaemon;

/// <summary>
/// Every log line of the daemon, with stable event ids grouped by area: lifecycle 1xxx, eventfd
/// 2xxx, module 3xxx, plugins 4xxx (<c>Log.Plugins.cs</c>, the plugins engineer's), dispatch 5xxx,
/// control 6xxx, exec 7xxx (<c>Log.Exec.cs</c>, the plugins engineer's).
/// </summary>
/// <remarks>Property names become journal fields (src/EfdDaemon/INTERFACES.md): <c>Kind</c>→EFD_KIND, <c>Sequence</c>→EFD_SEQ, <c>Handler</c>→HANDLER, …</remarks>
internal static partial class Log
{
    // Lifecycle: 1xxx.
    [LoggerMessage(1000, LogLevel.Information, "efd-daemon {Version} starting as pid {Pid} (configuration {ConfigDir})")]
    public static partial void Starting(ILogger logger, string version, int pid, string configDir);

    [LoggerMessage(1001, LogLevel.Information, "Run files written in {RunDirectory}: pid {Pid}, efd {EventFd}")]
    public static partial void RunFilesWritten(ILogger logger, string runDirectory, int pid, int eventFd);

    [LoggerMessage(1002, LogLevel.Information, "Stopping: reader first, then draining the handlers' queues")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(1003, LogLevel.Information, "Final counters: {Received} received ({Redelivered} redelivered), {Dispatched} queued to handlers, {Dropped} dropped from queues, {KernelLost} lost in the kernel (sequence gaps), {Undelivered} unfinished at stop, committed through seq {Committed}, module dropped {KernelDropped} ({KernelDroppedInflight} in flight)")]
    public static partial void FinalCounters(ILogger logger, long received, long redelivered, long dispatched, long dropped, long kernelLost, int undelivered, ulong committed, long kernelDropped, long kernelDroppedInflight);

    [LoggerMessage(1011, LogLevel.Warning, "{Count} events were not finished by every handler within Daemon:ShutdownTimeout: {Sequences} stay uncommitted and the module redelivers them at the next start")]
    public static partial void ShutdownUnfinished(ILogger logger, long count, string sequences);

    [LoggerMessage(1004, LogLevel.Information, "Run files removed from {RunDirectory}")]
    public static partial void RunFilesRemoved(ILogger logger, string runDirectory);

    [LoggerMessage(1005, LogLevel.Critical, "Start-up failed: {Reason}")]
    public static partial void StartupFailed(ILogger logger, string reason);

    [LoggerMessage(1006, LogLevel.Information, "Configuration reloaded (SIGHUP)")]
    public static partial void ConfigurationReloaded(ILogger logger);

    [LoggerMessage(1007, LogLevel.Error, "Configuration reload rejected, keeping the previous settings: {Reason}")]
    public static partial void ConfigurationReloadRejected(ILogger logger, string reason);

    [LoggerMessage(1008, LogLevel.Information, "Watchdog: WATCHDOG=1 every {Interval}")]
    public static partial void WatchdogEnabled(ILogger logger, TimeSpan interval);

    [LoggerMessage(1012, LogLevel.Error, "Watchdog: the event reader made no progress since the last tick and is not waiting; WATCHDOG=1 withheld (systemd restarts the daemon if it stays so)")]
    public static partial void WatchdogWithheld(ILogger logger);

    [LoggerMessage(1009, LogLevel.Critical, "Internal error")]
    public static partial void InternalError(ILogger logger, Exception exception);

    // Eventfd and reader: 2xxx.
    [LoggerMessage(2000, LogLevel.Information, "Created eventfd {EventFd} in {EventfdMode} mode")]
    public static partial void EventfdCreated(ILogger logger, int eventFd, EventfdMode eventfdMode);

    [LoggerMessage(2001, LogLevel.Information, "Reader started on eventfd {EventFd} (records from the module's device: {RecordDevice})")]
    public static partial void ReaderStarted(ILogger logger, int eventFd, bool recordDevice);

    [LoggerMessage(2002, LogLevel.Information, "Reader stopped")]
    public static partial void ReaderStopped(ILogger logger);

    [LoggerMessage(2003, LogLevel.Critical, "The eventfd reader failed; stopping the daemon")]
    public static partial void ReaderFailed(ILogger logger, Exception exception);

    [LoggerMessage(2004, LogLevel.Information, "Reading records from {DevicePath}")]
    public static partial void RecordDeviceOpened(ILogger logger, string devicePath);

    [LoggerMessage(2005, LogLevel.Error, "The record device reported an error or hang-up; continuing with the eventfd alone")]
    public static partial void RecordDeviceFailed(ILogger logger);

    [LoggerMessage(2006, LogLevel.Warning, "The module overwrote {Count} records before the daemon read them ({Sequences}; {Total} in total): raise Module:RingSize or make the handlers faster")]
    public static partial void KernelLost(ILogger logger, long count, string sequences, long total);

    [LoggerMessage(2007, LogLevel.Information, "Acknowledged delivery on {DevicePath}: records are committed once every handler has finished them, at most {Window} unfinished (half of ring_size {RingSize})")]
    public static partial void AcknowledgedDelivery(ILogger logger, string devicePath, int window, long ringSize);

    [LoggerMessage(2008, LogLevel.Warning, "{Count} records redelivered that an earlier run had read but not finished ({Sequences}); handlers see them with Redelivered set")]
    public static partial void Redelivered(ILogger logger, long count, string sequences);

    // Dispatch: 5xxx.
    [LoggerMessage(5000, LogLevel.Information, "Handler {Handler}: kinds {Kinds}, queue {QueueCapacity}, {Policy}, enabled {Enabled}, runs on the {RunsOn}")]
    public static partial void HandlerRegistered(ILogger logger, string handler, string kinds, int queueCapacity, FullQueuePolicy policy, bool enabled, string runsOn);

    [LoggerMessage(5001, LogLevel.Error, "Handler {Handler} failed on {Kind} event {Sequence}; it keeps receiving events")]
    public static partial void HandlerFailed(ILogger logger, string handler, ulong sequence, string kind, Exception exception);

    [LoggerMessage(5002, LogLevel.Warning, "Handler {Handler}: {Count} calls exceeded the timeout {Timeout} and were cancelled ({Sequences}; {Total} in total)")]
    public static partial void HandlerTimedOut(ILogger logger, string handler, long count, TimeSpan timeout, string sequences, long total);

    [LoggerMessage(5003, LogLevel.Warning, "Handler {Handler} lost {Count} events from its full queue ({Hop}; {Sequences}; {Total} in total on that hop)")]
    public static partial void EventsLost(ILogger logger, string handler, long count, LossHop hop, string sequences, long total);

    [LoggerMessage(5007, LogLevel.Warning, "Handler {Handler} held the reader back for {Held} (MaxStall {MaxStall}, queue {QueueLength} of {QueueCapacity}): demoted to DropOldest until its queue is below half")]
    public static partial void HandlerDemoted(ILogger logger, string handler, TimeSpan held, TimeSpan maxStall, int queueLength, int queueCapacity);

    [LoggerMessage(5008, LogLevel.Information, "Handler {Handler} caught up: back to {Policy}")]
    public static partial void HandlerRestored(ILogger logger, string handler, FullQueuePolicy policy);

    [LoggerMessage(5009, LogLevel.Error, "Handler {Handler} ignored the cancellation of its call on event {Sequence} for {After}: quarantined (DropOldest, its events no longer wait for it) until the daemon restarts; {QueueLength} events queued")]
    public static partial void HandlerQuarantined(ILogger logger, string handler, ulong sequence, TimeSpan after, int queueLength);

    [LoggerMessage(5010, LogLevel.Warning, "Handler {Handler} took {Took} on event {Sequence} (call {Calls} on the reader thread), over its InlineBudget {Budget}, {Reason}: it leaves the reader thread for its own queue for good")]
    public static partial void HandlerLeftFastPath(ILogger logger, string handler, TimeSpan took, ulong sequence, long calls, TimeSpan budget, string reason);

    [LoggerMessage(5011, LogLevel.Information, "Handler {Handler}: InlineBudget set to 0, it leaves the reader thread for its own queue")]
    public static partial void HandlerLeftFastPathByConfiguration(ILogger logger, string handler);

    [LoggerMessage(5012, LogLevel.Debug, "Handler {Handler} took {Took} on event {Sequence} (call {Calls} on the reader thread), over its InlineBudget {Budget}, {Reason}: not held against it")]
    public static partial void InlineOverrunExcused(ILogger logger, string handler, TimeSpan took, ulong sequence, long calls, TimeSpan budget, string reason);

    [LoggerMessage(5013, LogLevel.Debug, "Handler {Handler} took {Took} on event {Sequence} (call {Calls} on the reader thread), over its InlineBudget {Budget}: tolerated unless {Limit} overruns fall within {Window} calls")]
    public static partial void InlineOverrunTolerated(ILogger logger, string handler, TimeSpan took, ulong sequence, long calls, TimeSpan budget, int limit, int window);

    [LoggerMessage(5004, LogLevel.Information, "Handler {Handler} reconfigured: kinds {Kinds}, queue {QueueCapacity}, {Policy}, timeout {Timeout}, enabled {Enabled}")]
    public static partial void HandlerSettingsApplied(ILogger logger, string handler, string kinds, int queueCapacity, FullQueuePolicy policy, TimeSpan timeout, bool enabled);

    [LoggerMessage(5005, LogLevel.Warning, "Handler {Handler} did not drain within {Timeout}: {Undelivered} events undelivered, its call cancelled")]
    public static partial void DrainTimedOut(ILogger logger, string handler, int undelivered, TimeSpan timeout);

    [LoggerMessage(5500, LogLevel.Information, "{Kind} event {Sequence} (count {Count}): {Details}")]
    public static partial void Event(ILogger logger, string kind, ulong sequence, ulong count, string details);

    [LoggerMessage(5502, LogLevel.Information, "{Kind} event {Sequence} (count {Count}; redelivered={Redelivered}: an earlier run read it but did not finish it): {Details}")]
    public static partial void RedeliveredEvent(ILogger logger, string kind, ulong sequence, ulong count, int redelivered, string details);

    [LoggerMessage(5501, LogLevel.Information, "{Count} more {Kind} events in the second from {Since} (above {Threshold} per second: summarised)")]
    public static partial void EventSummary(ILogger logger, string kind, long count, DateTimeOffset since, int threshold);

    [LoggerMessage(5006, LogLevel.Information, "Handler {Handler} totals: {Handled} handled, {Failures} failed, {Timeouts} timed out, {Dropped} dropped, {Demotions} demotions ({Unreported} losses not logged before)")]
    public static partial void HandlerTotals(ILogger logger, string handler, long handled, long failures, long timeouts, long dropped, long demotions, long unreported);

    // Module: 3xxx.
    [LoggerMessage(3000, LogLevel.Information, "Attaching {Module} to pid {Pid} eventfd {EventFd} via {Method}")]
    public static partial void ModuleAttaching(ILogger logger, string module, string method, int pid, int eventFd);

    [LoggerMessage(3001, LogLevel.Information, "{Module} attached to pid {Pid} eventfd {EventFd}")]
    public static partial void ModuleAttached(ILogger logger, string module, int pid, int eventFd);

    [LoggerMessage(3002, LogLevel.Information, "Kernel module disabled by configuration (Module:Enabled=false): events come from writes to the eventfd")]
    public static partial void ModuleDisabled(ILogger logger);

    [LoggerMessage(3004, LogLevel.Warning, "{Module} is loaded with ABI version {Actual}, older than this daemon's {Expected}: it runs with classic delivery (events read but not yet handled are lost if the daemon dies). Reload the module to get the new one: systemctl stop efd-daemon; modprobe -r {Module}; systemctl start efd-daemon")]
    public static partial void ModuleOlderAbi(ILogger logger, string module, long actual, int expected);

    [LoggerMessage(3003, LogLevel.Warning, "{Module} is already loaded with ring_size {Actual}; Module:RingSize {Configured} applies only when the module is loaded again (rmmod {Module}, then restart efd-daemon)")]
    public static partial void ModuleRingSizeKept(ILogger logger, string module, long actual, int configured);

    [LoggerMessage(3010, LogLevel.Information, "Kind {Kind} is number {KindId} (registered {Registered}): {Fields}")]
    public static partial void KindFound(ILogger logger, string kind, uint kindId, int registered, string fields);

    [LoggerMessage(3011, LogLevel.Information, "Kind {Kind} ({KindId}) was unregistered: its owner unloaded or gave it up; records already read keep its format")]
    public static partial void KindLeft(ILogger logger, string kind, uint kindId);

    [LoggerMessage(3012, LogLevel.Warning, "Kind {KindId} in {Directory} cannot be read ({Problem}): its events show their payload in hexadecimal")]
    public static partial void KindUnreadable(ILogger logger, uint kindId, string directory, string problem);

    [LoggerMessage(3013, LogLevel.Warning, "{Where} names kind {Kind}, which no module has registered yet: it matches once a module registers it{Suggestion}")]
    public static partial void KindNotRegisteredYet(ILogger logger, string where, string kind, string suggestion);

    // Control socket: 6xxx.
    [LoggerMessage(6000, LogLevel.Information, "Control socket listening on {SocketPath}")]
    public static partial void ControlListening(ILogger logger, string socketPath);

    [LoggerMessage(6001, LogLevel.Debug, "Control client gone: {Reason}")]
    public static partial void ControlClientGone(ILogger logger, string reason);
}
