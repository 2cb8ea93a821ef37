using System.Globalization;
using System.Text.Json;
using EfdDaemon.Events;

namespace EfdDaemon.Control;

/// <summary>One <c>listen</c> event line (src/EfdDaemon/INTERFACES.md): common fields, base64 payload, typed fields per kind.</summary>
internal static class EventJson
{
    public static void Write(Utf8JsonWriter w, in EventRecord record, byte[] payloadBuffer)
    {
        KernelEvent e = record.ToKernelEvent(payloadBuffer);
        w.WriteStartObject();
        w.WriteNumber("seq", e.Sequence);
        w.WriteString("kind", EventKindNames.GetName(e.Kind));
        w.WriteNumber("kindId", (uint)e.Kind);
        w.WriteNumber("count", e.Count);
        w.WriteNumber("kernelTimestampNs", e.KernelTimestamp);
        w.WriteString("receivedAt", e.ReceivedAt.ToString("O", CultureInfo.InvariantCulture));
        w.WriteBase64String("payload", e.Payload.Span);
        int length = e.Payload.Length;
        switch (e.Kind)
        {
            case EventKind.Netdev when length >= 28:
                (string name, uint index, uint ev, uint flags) = e.GetNetdev();
                w.WriteString("ifname", name);
                w.WriteNumber("ifindex", index);
                w.WriteString("netdevEvent", ev switch { 1 => "UP", 2 => "DOWN", 4 => "CHANGE", _ => ev.ToString(CultureInfo.InvariantCulture) });
                w.WriteNumber("flags", flags);
                break;
            case EventKind.Module when length >= 60:
                (string module, uint state) = e.GetModule();
                w.WriteString("module", module);
                w.WriteString("state", state switch { 0 => "LIVE", 1 => "COMING", 2 => "GOING", _ => state.ToString(CultureInfo.InvariantCulture) });
                break;
            case EventKind.Trigger when length >= 8:
                w.WriteNumber("index", e.GetTrigger().Index);
                w.WriteNumber("batch", e.GetTrigger().Batch);
                break;
            case EventKind.Attached when length >= 8:
                w.WriteNumber("pid", e.GetAttached().Pid);
                w.WriteNumber("fd", e.GetAttached().Fd);
                break;
            case EventKind.Tick when length >= 8:
                w.WriteNumber("tick", e.GetTick());
                break;
        }

        w.WriteEndObject();
    }
}
