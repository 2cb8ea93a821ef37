using System.Globalization;
using EfdDaemon.Events;

namespace EfdDaemon.Handlers.Exec;

/// <summary>
/// The environment of a rule's program: a fixed <c>PATH</c> and the event as <c>EFD_*</c> variables
/// (src/EfdDaemon/INTERFACES.md). Nothing of the daemon's own environment is passed on.
/// </summary>
/// <remarks>
/// This is the only place event data reaches a program. Values are passed as they are (an
/// interface name may hold spaces, quotes or newlines): a program that hands them to a shell must
/// quote them, exactly as with udev's environment.
/// </remarks>
internal static class ExecEnvironment
{
    public const string Path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The environment for <paramref name="rule"/>'s program; <paramref name="acpidEvent"/> is the event's acpid string (<see cref="AcpidEvent.Format"/>), if any.</summary>
    public static string[] Build(in KernelEvent e, string rule, string? acpidEvent)
    {
        var env = new List<string>(24)
        {
            Path,
            Var("EFD_KIND", e.KindName),
            Var("EFD_KIND_ID", (uint)e.Kind),
            Var("EFD_SEQ", e.Sequence),
            Var("EFD_COUNT", e.Count),
            Var("EFD_TIMESTAMP_NS", e.KernelTimestamp),
            Var("EFD_RULE", rule),
        };
        if (e.Redelivered)
        {
            env.Add("EFD_REDELIVERED=1");
        }

        if (acpidEvent is not null)
        {
            env.Add(Var("EFD_ACPID_EVENT", acpidEvent));
        }

        EventFields.AddEnvironment(in e, env);
        AddAliases(env, e);
        return [.. env];
    }

    /// <summary>The variables of API 1 (EFD_IFNAME, EFD_MODULE, …), kept beside EFD_F_* until the next major version.</summary>
    private static void AddAliases(List<string> env, in KernelEvent e)
    {
        if (e.TryGetNetdev(out NetdevPayload netdev))
        {
            env.Add(Var("EFD_IFNAME", netdev.InterfaceName.ToString()));
            env.Add(Var("EFD_IFINDEX", netdev.InterfaceIndex));
            env.Add(Var("EFD_NETDEV_EVENT", ExecRule.NetdevEventName((uint)netdev.Event)));
            env.Add(Var("EFD_FLAGS", netdev.Flags));
        }
        else if (e.TryGetModule(out ModulePayload module))
        {
            env.Add(Var("EFD_MODULE", module.Name.ToString()));
            env.Add(Var("EFD_MODULE_STATE", ExecRule.ModuleStateName((uint)module.State)));
        }
        else if (e.TryGetTrigger(out TriggerPayload trigger))
        {
            env.Add(Var("EFD_TRIGGER_INDEX", trigger.Index));
            env.Add(Var("EFD_TRIGGER_BATCH", trigger.Batch));
        }
        else if (e.TryGetTick(out TickPayload tick))
        {
            env.Add(Var("EFD_TICK", tick.N));
        }
        else if (e.TryGetAttached(out AttachedPayload attached))
        {
            env.Add(Var("EFD_ATTACHED_PID", attached.Pid));
            env.Add(Var("EFD_ATTACHED_FD", attached.Fd));
        }
        else if (e.Format is null && e.Kind >= EventKind.UserFirst)
        {
            // As in API 1: present for every opaque event, empty for an empty payload.
            env.Add(Var("EFD_PAYLOAD_HEX", Convert.ToHexStringLower(e.Payload.Span)));
        }
    }

    private static string Var(string name, string value) => $"{name}={value}";

    private static string Var<T>(string name, T value)
        where T : IFormattable => string.Create(CultureInfo.InvariantCulture, $"{name}={value}");
}
