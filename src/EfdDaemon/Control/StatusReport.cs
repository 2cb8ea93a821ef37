using System.Globalization;
using EfdDaemon.Events;
using EfdDaemon.Kernel;
using EfdDaemon.Plugins;
using EfdDaemon.Protocol;
using EfdDaemon.Sysfs;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Control;

/// <summary>Builds the <c>status</c> reply (src/EfdDaemon/INTERFACES.md, control socket) from the live objects.</summary>
internal sealed class StatusReport(
    DaemonInfo info,
    IOptions<DaemonOptions> daemonOptions,
    IOptions<ModuleOptions> moduleOptions,
    IKernelModuleLoader moduleLoader,
    EventDispatcher dispatcher,
    EventfdSource source,
    DeliveryCounters counters,
    PluginStatusRegistry plugins,
    KindCatalog kinds)
{
    public ControlReply Build()
    {
        ModuleFigures? module = moduleLoader.ReadFigures();
        IReadOnlyList<HandlerSnapshot> handlers = dispatcher.Snapshot();
        return new ControlReply
        {
            Ok = true,
            Daemon = new DaemonReport(
                info.Pid,
                info.Version,
                info.StartedAt.ToString("O", CultureInfo.InvariantCulture),
                daemonOptions.Value.EventfdMode.ToString(),
                info.ConfigDirectory),
            Module = new ModuleReport(
                moduleOptions.Value.Enabled,
                module is not null,
                module?.AttachedPid,
                module?.AttachedFd,
                module?.AttachedPid == info.Pid,
                module?.Events,
                module?.Signals,
                module?.Dropped,
                module?.RingSize,
                module?.AbiVersion,
                module?.Committed,
                module?.DroppedInflight,
                source.Device is { } device ? (device.Acknowledged ? "acknowledged" : "plain") : null),
            Counters = new CounterReport(
                counters.Received,
                dispatcher.Dispatched,
                dispatcher.Dropped,
                module?.Dropped ?? 0,
                counters.KernelLost,
                counters.Redelivered,
                (long)counters.Committed,
                new LossReport(
                    counters.KernelLost,
                    module?.DroppedInflight ?? 0,
                    handlers.Sum(h => h.Counters.PolicyDrops),
                    handlers.Sum(h => h.Counters.Timeouts),
                    handlers.Sum(h => h.Counters.QuarantineDrops),
                    handlers.Sum(h => h.Counters.DemotionDrops),
                    counters.ListenerSkipped)),
            Handlers = [.. handlers.Select(Handler)],
            Plugins = [.. plugins.Snapshot().Select(p => new PluginReport(p.Name, p.Path, p.State, p.Reason))],
            Kinds = [.. BuiltInKinds.All.Concat(kinds.Registered).Select(Kind)],
        };
    }

    private static KindReport Kind(EventFormat f) =>
        new((uint)f.Kind, f.Name, f.IsBuiltIn, f.Registered, [.. f.Fields.Select(x => x.ToString())]);

    private static HandlerReport Handler(HandlerSnapshot h) => new(
        h.Name,
        h.Settings.Kinds.Kinds?.Select(EventKindNames.GetName).Concat(h.Settings.Kinds.Names).ToList(),
        h.Settings.Enabled,
        h.Settings.QueueCapacity,
        h.QueueLength,
        h.Settings.Policy.ToString(),
        h.Settings.Timeout.ToString("c", CultureInfo.InvariantCulture),
        h.Counters.Handled,
        h.Counters.Failures,
        h.Counters.Timeouts,
        h.Counters.Dropped,
        h.State.ToString(),
        h.EffectivePolicy.ToString(),
        h.Settings.MaxStall.ToString("c", CultureInfo.InvariantCulture),
        h.Counters.Demotions,
        new LossReport(Policy: h.Counters.PolicyDrops, Timeout: h.Counters.Timeouts, Quarantine: h.Counters.QuarantineDrops, Demotion: h.Counters.DemotionDrops),
        h.Inline ? "reader" : "queue",
        h.Settings.InlineBudget.ToString("c", CultureInfo.InvariantCulture));
}
