using System.Globalization;
using System.Text.Json;
using EfdDaemon.Events;
using EfdDaemon.Hosting;
using EfdDaemon.Kernel;
using EfdDaemon.Options;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Control;

/// <summary>Writes the <c>status</c> reply (src/EfdDaemon/INTERFACES.md, control socket) from the live objects.</summary>
internal sealed class StatusReport(
    DaemonInfo info,
    IOptions<DaemonOptions> daemonOptions,
    IOptions<ModuleOptions> moduleOptions,
    IKernelModuleLoader moduleLoader,
    EventDispatcher dispatcher,
    PluginStatusRegistry plugins)
{
    public void Write(Utf8JsonWriter w)
    {
        ModuleFigures? module = moduleLoader.ReadFigures();
        DispatchCounters c = dispatcher.Counters;
        w.WriteStartObject();
        w.WriteBoolean("ok", true);

        w.WriteStartObject("daemon");
        w.WriteNumber("pid", info.Pid);
        w.WriteString("version", info.Version);
        w.WriteString("startedAt", info.StartedAt.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("eventfdMode", daemonOptions.Value.EventfdMode.ToString());
        w.WriteString("configDir", info.ConfigDirectory);
        w.WriteEndObject();

        w.WriteStartObject("module");
        w.WriteBoolean("enabled", moduleOptions.Value.Enabled);
        w.WriteBoolean("loaded", module is not null);
        WriteNumber(w, "attachedPid", module?.AttachedPid);
        WriteNumber(w, "attachedFd", module?.AttachedFd);
        w.WriteBoolean("attachedToUs", module?.AttachedPid == info.Pid);
        WriteNumber(w, "events", module?.Events);
        WriteNumber(w, "signals", module?.Signals);
        WriteNumber(w, "dropped", module?.Dropped);
        WriteNumber(w, "ringSize", module?.RingSize);
        WriteNumber(w, "abiVersion", module?.AbiVersion);
        w.WriteEndObject();

        w.WriteStartObject("counters");
        w.WriteNumber("received", c.Received);
        w.WriteNumber("dispatched", c.Dispatched);
        w.WriteNumber("dropped", c.Dropped);
        w.WriteNumber("kernelDropped", module?.Dropped ?? 0);
        w.WriteNumber("sequenceGaps", c.SequenceGaps);
        w.WriteEndObject();

        w.WriteStartArray("handlers");
        foreach (HandlerSnapshot h in dispatcher.Snapshot())
        {
            WriteHandler(w, h);
        }

        w.WriteEndArray();

        w.WriteStartArray("plugins");
        foreach (PluginStatus p in plugins.Snapshot())
        {
            w.WriteStartObject();
            w.WriteString("name", p.Name);
            w.WriteString("path", p.Path);
            w.WriteString("state", p.State);
            w.WriteString("reason", p.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteHandler(Utf8JsonWriter w, HandlerSnapshot h)
    {
        w.WriteStartObject();
        w.WriteString("name", h.Name);
        if (h.Settings.Kinds.Kinds is { } kinds)
        {
            w.WriteStartArray("kinds");
            foreach (EventKind k in kinds)
            {
                w.WriteStringValue(EventKindNames.GetName(k));
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("kinds");
        }

        w.WriteBoolean("enabled", h.Settings.Enabled);
        w.WriteNumber("queueCapacity", h.Settings.QueueCapacity);
        w.WriteNumber("queueLength", h.QueueLength);
        w.WriteString("policy", h.Settings.Policy.ToString());
        w.WriteString("timeout", h.Settings.Timeout.ToString("c", CultureInfo.InvariantCulture));
        w.WriteNumber("handled", h.Handled);
        w.WriteNumber("failures", h.Failures);
        w.WriteNumber("timeouts", h.Timeouts);
        w.WriteNumber("dropped", h.Dropped);
        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is long v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
