using System.Text;
using System.Text.Json;
using EfdCtl.RunFiles;
using EfdDaemon.Sysfs;

namespace EfdCtl.Output;

/// <summary>
/// <c>efdctl status --json</c>: one object combining the run files, the module's sysfs figures and
/// the daemon's own <c>status</c> reply, verbatim.
/// </summary>
internal static class StatusJsonWriter
{
    public static string Write(DaemonRunFiles run, ModuleFigures module, string rawReply)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("runFiles");
            w.WriteString("directory", run.Directory);
            w.WriteNumber("pid", run.Pid);
            WriteNumber(w, "efd", run.EventFd);
            w.WriteString("socket", run.SocketPath);
            w.WriteEndObject();

            w.WriteStartObject("sysfs");
            w.WriteString("path", module.Directory);
            w.WriteBoolean("present", module.Present);
            WriteNumber(w, "attachedPid", module.AttachedPid);
            WriteNumber(w, "attachedFd", module.AttachedFd);
            w.WriteBoolean("attachedToDaemon", module.AttachedPid == run.Pid);
            WriteNumber(w, "events", module.Events);
            WriteNumber(w, "signals", module.Signals);
            WriteNumber(w, "dropped", module.Dropped);
            WriteNumber(w, "ringSize", module.RingSize);
            WriteNumber(w, "abiVersion", module.AbiVersion);
            w.WriteEndObject();

            w.WritePropertyName("daemon");
            using (JsonDocument reply = JsonDocument.Parse(rawReply))
            {
                reply.RootElement.WriteTo(w);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
