using System.Text.Json;

namespace EfdCtl.Control;

// The control socket's NDJSON messages (src/EfdDaemon/INTERFACES.md, "Control socket"). Every field is optional on
// read so that a daemon adding fields, or leaving one out, never breaks efdctl.

internal sealed record ControlRequest(string Cmd, IReadOnlyList<string>? Kinds = null);

internal sealed class StatusReply
{
    public bool Ok { get; set; }

    public string? Error { get; set; }

    public bool? Listening { get; set; }

    public DaemonInfo? Daemon { get; set; }

    public ModuleInfo? Module { get; set; }

    public CounterInfo? Counters { get; set; }

    public IReadOnlyList<HandlerInfo>? Handlers { get; set; }

    public IReadOnlyList<PluginInfo>? Plugins { get; set; }
}

internal sealed class DaemonInfo
{
    public long? Pid { get; set; }

    public string? Version { get; set; }

    public string? StartedAt { get; set; }

    public string? EventfdMode { get; set; }

    public string? ConfigDir { get; set; }
}

internal sealed class ModuleInfo
{
    public bool? Enabled { get; set; }

    public bool? Loaded { get; set; }

    public long? AttachedPid { get; set; }

    public long? AttachedFd { get; set; }

    public bool? AttachedToUs { get; set; }

    public long? Events { get; set; }

    public long? Signals { get; set; }

    public long? Dropped { get; set; }

    public long? RingSize { get; set; }

    public long? AbiVersion { get; set; }
}

internal sealed class CounterInfo
{
    public long? Received { get; set; }

    public long? Dispatched { get; set; }

    public long? Dropped { get; set; }

    public long? KernelDropped { get; set; }

    public long? SequenceGaps { get; set; }
}

internal sealed class HandlerInfo
{
    public string? Name { get; set; }

    public IReadOnlyList<string>? Kinds { get; set; }

    public bool? Enabled { get; set; }

    public long? QueueCapacity { get; set; }

    public long? QueueLength { get; set; }

    public string? Policy { get; set; }

    public string? Timeout { get; set; }

    public long? Handled { get; set; }

    public long? Failures { get; set; }

    public long? Timeouts { get; set; }

    public long? Dropped { get; set; }
}

internal sealed class PluginInfo
{
    public string? Name { get; set; }

    public string? Path { get; set; }

    public string? State { get; set; }

    public string? Reason { get; set; }
}

/// <summary>One line of a <c>listen</c> stream: an event, or <c>{"skipped":N}</c>.</summary>
internal sealed class ListenEvent
{
    public bool? Ok { get; set; }

    public string? Error { get; set; }

    public long? Skipped { get; set; }

    public ulong? Seq { get; set; }

    public string? Kind { get; set; }

    public long? KindId { get; set; }

    public ulong? Count { get; set; }

    public ulong? KernelTimestampNs { get; set; }

    public string? ReceivedAt { get; set; }

    public string? Payload { get; set; }

    public string? Ifname { get; set; }

    public long? Ifindex { get; set; }

    /// <summary>A name (<c>UP</c>) or the notifier number: either is accepted.</summary>
    public JsonElement? NetdevEvent { get; set; }

    public long? Flags { get; set; }

    public string? Module { get; set; }

    /// <summary>A name (<c>LIVE</c>) or the module state number: either is accepted.</summary>
    public JsonElement? State { get; set; }

    public long? Index { get; set; }

    public long? Batch { get; set; }

    public long? Pid { get; set; }

    public long? Fd { get; set; }

    public ulong? Tick { get; set; }
}
