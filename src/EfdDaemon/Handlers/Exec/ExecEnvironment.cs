using System.Globalization;

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

    public static string[] Build(in KernelEvent e, string rule)
    {
        var env = new List<string>(12)
        {
            Path,
            Var("EFD_KIND", EventKindNames.GetName(e.Kind)),
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

        try
        {
            AddPayload(env, e);
        }
        catch (InvalidOperationException)
        {
            // A payload shorter than its kind's layout: the common variables still go out.
        }

        return [.. env];
    }

    private static void AddPayload(List<string> env, in KernelEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Netdev:
                (string name, uint index, uint netdevEvent, uint flags) = e.GetNetdev();
                env.Add(Var("EFD_IFNAME", name));
                env.Add(Var("EFD_IFINDEX", index));
                env.Add(Var("EFD_NETDEV_EVENT", ExecRule.NetdevEventName(netdevEvent)));
                env.Add(Var("EFD_FLAGS", flags));
                break;
            case EventKind.Module:
                (string module, uint state) = e.GetModule();
                env.Add(Var("EFD_MODULE", module));
                env.Add(Var("EFD_MODULE_STATE", ExecRule.ModuleStateName(state)));
                break;
            case EventKind.Trigger:
                (uint triggerIndex, uint batch) = e.GetTrigger();
                env.Add(Var("EFD_TRIGGER_INDEX", triggerIndex));
                env.Add(Var("EFD_TRIGGER_BATCH", batch));
                break;
            case EventKind.Tick:
                env.Add(Var("EFD_TICK", e.GetTick()));
                break;
            case EventKind.Attached:
                (int pid, int fd) = e.GetAttached();
                env.Add(Var("EFD_ATTACHED_PID", pid));
                env.Add(Var("EFD_ATTACHED_FD", fd));
                break;
            default:
                if (EventKindNames.IsUser(e.Kind))
                {
                    env.Add(Var("EFD_PAYLOAD_HEX", Convert.ToHexStringLower(e.Payload.Span)));
                }

                break;
        }
    }

    private static string Var(string name, string value) => $"{name}={value}";

    private static string Var<T>(string name, T value)
        where T : IFormattable => string.Create(CultureInfo.InvariantCulture, $"{name}={value}");
}
