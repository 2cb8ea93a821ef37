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
    PluginStatusRegistry plugins)
{
    public ControlReply Build()
    {
        ModuleFigures? module = moduleLoader.ReadFigures();
        DispatchCounters c = dispatcher.Counters;
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
                module?.AbiVersion),
            Counters = new CounterReport(c.Received, c.Dispatched, c.Dropped, module?.Dropped ?? 0, c.SequenceGaps),
            Handlers = [.. dispatcher.Snapshot().Select(Handler)],
            Plugins = [.. plugins.Snapshot().Select(p => new PluginReport(p.Name, p.Path, p.State, p.Reason))],
        };
    }

    private static HandlerReport Handler(HandlerSnapshot h) => new(
        h.Name,
        h.Settings.Kinds.Kinds?.Select(EventKindNames.GetName).ToList(),
        h.Settings.Enabled,
        h.Settings.QueueCapacity,
        h.QueueLength,
        h.Settings.Policy.ToString(),
        h.Settings.Timeout.ToString("c", CultureInfo.InvariantCulture),
        h.Handled,
        h.Failures,
        h.Timeouts,
        h.Dropped);
}
