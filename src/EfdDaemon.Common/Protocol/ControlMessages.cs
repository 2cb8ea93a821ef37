using System.Text.Json;
using System.Text.Json.Serialization;

namespace EfdDaemon.Protocol;

// The control socket's NDJSON messages (src/EfdDaemon/INTERFACES.md, "Control socket"): the daemon
// writes them and efdctl reads them through the one ControlJsonContext. Every field is optional on
// read, so a daemon adding fields, or leaving one out, never breaks efdctl. Null is left out when
// written, except where the contract gives null a meaning ([JsonIgnore(Condition = Never)]).

/// <summary>A request line: <c>{"cmd":"status"}</c> or <c>{"cmd":"listen","kinds":[…]}</c>.</summary>
internal sealed record ControlRequest(
    string? Cmd,
    [property: JsonConverter(typeof(KindListConverter))] IReadOnlyList<string>? Kinds = null)
{
    public const string Status = "status";
    public const string Listen = "listen";
}

/// <summary>A reply line: a status report, the listen acknowledgement, or an error.</summary>
internal sealed record ControlReply
{
    public bool Ok { get; init; }

    public string? Error { get; init; }

    public bool? Listening { get; init; }

    public DaemonReport? Daemon { get; init; }

    public ModuleReport? Module { get; init; }

    public CounterReport? Counters { get; init; }

    public IReadOnlyList<HandlerReport>? Handlers { get; init; }

    public IReadOnlyList<PluginReport>? Plugins { get; init; }

    /// <summary>Gets every kind the daemon can name: the built-in ones, then those modules registered, with their formats.</summary>
    public IReadOnlyList<KindReport>? Kinds { get; init; }

    public static ControlReply Failure(string error) => new() { Ok = false, Error = error };
}

internal sealed record DaemonReport(long? Pid, string? Version, string? StartedAt, string? EventfdMode, string? ConfigDir);

/// <summary>The module as the daemon sees it; a figure is null when its sysfs file is missing.</summary>
internal sealed record ModuleReport(
    bool? Enabled,
    bool? Loaded,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? AttachedPid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? AttachedFd,
    bool? AttachedToUs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Events,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Signals,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Dropped,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? RingSize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? AbiVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Committed = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? DroppedInflight = null,
    string? Delivery = null);

/// <summary>
/// The daemon-wide figures. <see cref="Dropped"/> is every event dropped from a handler's queue;
/// <see cref="Losses"/> splits every loss by hop (src/EfdDaemon/INTERFACES.md, "Losses").
/// </summary>
internal sealed record CounterReport(
    long? Received,
    long? Dispatched,
    long? Dropped,
    long? KernelDropped,
    long? SequenceGaps,
    long? Redelivered = null,
    long? Committed = null,
    LossReport? Losses = null);

/// <summary>Events lost per hop; a hop that is not a handler's is daemon-wide.</summary>
internal sealed record LossReport(
    long? Kernel = null,
    long? Inflight = null,
    long? Policy = null,
    long? Timeout = null,
    long? Quarantine = null,
    long? Demotion = null,
    long? Listener = null);

/// <summary>One handler; <see cref="Kinds"/> null means every kind.</summary>
internal sealed record HandlerReport(
    string? Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<string>? Kinds,
    bool? Enabled,
    long? QueueCapacity,
    long? QueueLength,
    string? Policy,
    string? Timeout,
    long? Handled,
    long? Failures,
    long? Timeouts,
    long? Dropped,
    string? State = null,
    string? EffectivePolicy = null,
    string? MaxStall = null,
    long? Demotions = null,
    LossReport? Losses = null,
    string? RunsOn = null,
    string? InlineBudget = null);

internal sealed record PluginReport(
    string? Name,
    string? Path,
    string? State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Reason);

/// <summary>A kind in the daemon's catalogue: its number, name, whether it is built in or still registered, and its format (<c>name type offset size</c> lines).</summary>
internal sealed record KindReport(uint Id, string Name, bool BuiltIn, bool Registered, IReadOnlyList<string> Format);

/// <summary>
/// One line of a <c>listen</c> stream: an event, or <c>{"skipped":N}</c>. The daemon writes event
/// lines with a hand-written writer of the same shape (Control/EventJson.cs); a test round-trips them.
/// </summary>
/// <remarks>
/// No member is particular to a kind: what an event says is in <see cref="Fields"/>, named and
/// ordered by the daemon's kind catalogue, so a kind registered after efdctl was built reads the same.
/// </remarks>
internal sealed record ListenEvent
{
    public long? Skipped { get; init; }

    public ulong? Seq { get; init; }

    /// <summary>Gets the kind's name: <c>NETDEV</c>, <c>USER_0x1234</c>, or a registered kind's name (<c>usb.device</c>).</summary>
    public string? Kind { get; init; }

    /// <summary>Gets the kind's number; a registered kind's (from 0x10000) is only good for one load of efd_lkm.</summary>
    public long? KindId { get; init; }

    public ulong? Count { get; init; }

    public ulong? KernelTimestampNs { get; init; }

    public string? ReceivedAt { get; init; }

    /// <summary>Gets <see langword="true"/> for an event delivered again after a crash; absent otherwise.</summary>
    public bool? Redelivered { get; init; }

    /// <summary>Gets the payload in base64.</summary>
    public string? Payload { get; init; }

    /// <summary>
    /// Gets the payload's fields in the kind's order: a number as a JSON number, anything else
    /// (value names such as <c>UP</c>, text, addresses, hexadecimal) as a string. Kept as
    /// <see cref="JsonElement"/> so a value reads back exactly as written, whatever its size.
    /// </summary>
    public Dictionary<string, JsonElement>? Fields { get; init; }

    /// <summary>Gets acpid's event string (<c>button/power PBTN 00000080 00000000</c>), present only for events acpid would emit.</summary>
    public string? Acpid { get; init; }
}
