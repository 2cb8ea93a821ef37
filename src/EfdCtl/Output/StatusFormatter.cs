using System.Globalization;
using System.Text;
using EfdDaemon.Protocol;
using EfdCtl.RunFiles;
using EfdDaemon.Sysfs;

namespace EfdCtl.Output;

/// <summary>The human-readable <c>efdctl status</c>.</summary>
internal static class StatusFormatter
{
    private const string Unknown = "?";

    public static string Format(DaemonRunFiles run, ModuleFigures module, ControlReply reply)
    {
        var o = new StringBuilder();
        DaemonReport daemon = reply.Daemon ?? new DaemonReport(null, null, null, null, null);
        o.Append(CultureInfo.InvariantCulture, $"efd-daemon {daemon.Version ?? Unknown} (pid {run.Pid}) running")
            .Append(daemon.StartedAt is null ? "" : $" since {daemon.StartedAt}").Append('\n');
        o.Append(CultureInfo.InvariantCulture, $"  eventfd {N(run.EventFd)} ({daemon.EventfdMode ?? Unknown} mode), config {daemon.ConfigDir ?? Unknown}, run directory {run.Directory}\n");

        o.Append(ModuleLine(run, module, reply.Module)).Append('\n');
        if (module.Present)
        {
            o.Append(CultureInfo.InvariantCulture, $"  events {N(module.Events)}, signals {N(module.Signals)}, dropped {N(module.Dropped)}, ring size {N(module.RingSize)}, ABI {N(module.AbiVersion)}\n");
            if (reply.Module?.Delivery is { } delivery)
            {
                o.Append(CultureInfo.InvariantCulture, $"  delivery {delivery}, committed through seq {N(module.Committed)}, dropped in flight {N(module.DroppedInflight)}\n");
            }
        }

        if (reply.Counters is { } c)
        {
            o.Append(CultureInfo.InvariantCulture, $"events: received {N(c.Received)}, dispatched {N(c.Dispatched)}, dropped {N(c.Dropped)}, kernel dropped {N(c.KernelDropped)}, sequence gaps {N(c.SequenceGaps)}")
                .Append(c.Redelivered is { } redelivered ? string.Create(CultureInfo.InvariantCulture, $", redelivered {redelivered}") : "")
                .Append('\n');
            if (c.Losses is { } l)
            {
                o.Append(CultureInfo.InvariantCulture, $"losses: kernel {N(l.Kernel)}, in flight {N(l.Inflight)}, policy {N(l.Policy)}, timeout {N(l.Timeout)}, quarantine {N(l.Quarantine)}, demotion {N(l.Demotion)}, listener {N(l.Listener)}\n");
            }
        }

        o.Append('\n');
        IReadOnlyList<HandlerReport> handlers = reply.Handlers ?? [];
        if (handlers.Count == 0)
        {
            o.Append("handlers: none\n");
        }
        else
        {
            var table = new TextTable(("HANDLER", false), ("KINDS", false), ("QUEUE", true), ("HANDLED", true), ("FAILURES", true), ("TIMEOUTS", true), ("DROPPED", true), ("POLICY", false));
            foreach (HandlerReport h in handlers)
            {
                table.Add(
                    h.Enabled == false ? $"{h.Name ?? Unknown} (disabled)" : h.Name ?? Unknown,
                    h.Kinds switch { null => "all", [] => "none", _ => string.Join(',', h.Kinds) },
                    h.RunsOn == "reader" ? "inline" : $"{N(h.QueueLength)}/{N(h.QueueCapacity)}",
                    N(h.Handled),
                    N(h.Failures),
                    N(h.Timeouts),
                    N(h.Dropped),
                    Policy(h));
            }

            table.WriteTo(o, "");
        }

        o.Append('\n');
        IReadOnlyList<PluginReport> plugins = reply.Plugins ?? [];
        if (plugins.Count == 0)
        {
            o.Append("plugins: none\n");
        }
        else
        {
            var table = new TextTable(("PLUGIN", false), ("STATE", false), ("REASON", false));
            foreach (PluginReport p in plugins)
            {
                table.Add(p.Name ?? Unknown, p.State ?? Unknown, p.Reason ?? "");
            }

            table.WriteTo(o, "");
        }

        // Built-in kinds are the same on every machine (efdctl status --json lists them); registered ones are this machine's.
        List<KindReport> registered = [.. (reply.Kinds ?? []).Where(k => !k.BuiltIn)];
        if (registered.Count > 0)
        {
            o.Append('\n');
            var table = new TextTable(("KIND", false), ("NUMBER", true), ("REGISTERED", false), ("FIELDS", false));
            foreach (KindReport k in registered)
            {
                table.Add(k.Name, k.Id.ToString(CultureInfo.InvariantCulture), k.Registered ? "yes" : "no (owner unloaded)",
                    string.Join(", ", k.Format.Select(line => string.Join(' ', line.Split(' ').Take(2)))));
            }

            table.WriteTo(o, "");
        }

        return o.ToString();
    }

    private static string ModuleLine(DaemonRunFiles run, ModuleFigures module, ModuleReport? reported)
    {
        if (!module.Present)
        {
            return reported?.Enabled == false
                ? "module: not used (Module:Enabled=false); events come from efdctl signal"
                : $"module: not loaded (no {module.Directory})";
        }

        return module.AttachedPid switch
        {
            null => $"module: loaded ({module.Directory}), attachment unknown",
            < 0 => "module: loaded, not attached",
            long pid when pid == run.Pid => $"module: attached to this daemon (pid {pid}, fd {N(module.AttachedFd)})",
            long pid => $"module: attached to another process (pid {pid}, fd {N(module.AttachedFd)}), not to this daemon",
        };
    }

    /// <summary>The policy in force, and why when it is not the configured one: <c>DropOldest (demoted from Lossless)</c>.</summary>
    private static string Policy(HandlerReport h) => h.State switch
    {
        null or "Normal" => h.Policy ?? Unknown,
        "Demoted" => $"{h.EffectivePolicy ?? Unknown} (demoted from {h.Policy ?? Unknown})",
        "Quarantined" => $"{h.EffectivePolicy ?? Unknown} (quarantined: ignores cancellation)",
        string state => $"{h.Policy ?? Unknown} ({state})",
    };

    private static string N(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? Unknown;

    private static string N(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? Unknown;
}
