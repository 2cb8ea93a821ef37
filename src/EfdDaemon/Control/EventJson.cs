using System.Globalization;
using System.Text.Json;
using EfdDaemon.Events;

namespace EfdDaemon.Control;

/// <summary>One <c>listen</c> event line (src/EfdDaemon/INTERFACES.md): common fields, the base64 payload and its named fields (Events/EventFields.cs).</summary>
internal static class EventJson
{
    public static void Write(Utf8JsonWriter w, in EventRecord record, byte[] payloadBuffer)
    {
        KernelEvent e = record.ToKernelEvent(payloadBuffer);
        w.WriteStartObject();
        w.WriteNumber("seq", e.Sequence);
        w.WriteString("kind", e.KindName);
        w.WriteNumber("kindId", (uint)e.Kind);
        w.WriteNumber("count", e.Count);
        w.WriteNumber("kernelTimestampNs", e.KernelTimestamp);
        w.WriteString("receivedAt", e.ReceivedAt.ToString("O", CultureInfo.InvariantCulture));
        if (e.Redelivered)
        {
            w.WriteBoolean("redelivered", true);
        }

        w.WriteBase64String("payload", e.Payload.Span);
        EventFields.WriteJson(w, in e);
        if (AcpidEvent.Format(in e) is { } acpid)
        {
            w.WriteString("acpid", acpid);
        }

        w.WriteEndObject();
    }
}
