using System.Net.Sockets;
using System.Text.Json;

namespace EfdDaemon.LatencyBench;

/// <summary>Reads figures from the daemon's control socket (<c>{"cmd":"status"}</c>, src/EfdDaemon/INTERFACES.md).</summary>
internal static class ControlStatus
{
    /// <summary>The hops of <c>counters.losses</c> whose events the daemon itself lost (the kernel's own overwrites are <c>kernel</c> and <c>inflight</c>).</summary>
    public static readonly string[] DaemonLossHops = ["policy", "timeout", "quarantine", "demotion", "listener"];

    /// <summary>
    /// Returns the daemon-wide <c>counters</c> object's numbers (received, dispatched, dropped, …) and
    /// those of its <c>losses</c> object as <c>losses.&lt;hop&gt;</c>, or an empty map when the socket does not answer.
    /// </summary>
    public static Dictionary<string, long> Counters(string controlSocket)
    {
        var result = new Dictionary<string, long>();
        try
        {
            using JsonDocument doc = Query(controlSocket);
            Flatten(doc.RootElement.GetProperty("counters"), string.Empty, result);
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // No control socket: the caller reports what it has.
        }

        return result;
    }

    /// <summary>Returns one handler's <c>handled</c> and <c>dropped</c> counters and the policy in force (<c>effectivePolicy</c>, or <c>policy</c> from a daemon without it).</summary>
    public static (long Handled, long Dropped, string? Policy) Handler(string controlSocket, string handler)
    {
        using JsonDocument doc = Query(controlSocket);
        foreach (JsonElement h in doc.RootElement.GetProperty("handlers").EnumerateArray())
        {
            if (h.GetProperty("name").GetString() == handler)
            {
                string? policy = h.TryGetProperty("effectivePolicy", out JsonElement p) || h.TryGetProperty("policy", out p) ? p.GetString() : null;
                return (h.GetProperty("handled").GetInt64(), h.GetProperty("dropped").GetInt64(), policy);
            }
        }

        throw new InvalidOperationException($"status lists no handler {handler}");
    }

    /// <summary>Returns one handler's policy in force, or null when the socket does not answer or lists no such handler.</summary>
    public static string? PolicyOf(string controlSocket, string handler)
    {
        try
        {
            return Handler(controlSocket, handler).Policy;
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Returns where one handler runs (<c>reader</c>: the fast path, <c>queue</c>), or null when the socket does not answer or lists no such handler.</summary>
    public static string? RunsOnOf(string controlSocket, string handler)
    {
        try
        {
            using JsonDocument doc = Query(controlSocket);
            foreach (JsonElement h in doc.RootElement.GetProperty("handlers").EnumerateArray())
            {
                if (h.GetProperty("name").GetString() == handler)
                {
                    return h.TryGetProperty("runsOn", out JsonElement r) ? r.GetString() : null;
                }
            }

            return null;
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Returns each plugin's <c>state</c> and <c>reason</c> from the status reply's <c>plugins[]</c>, by name.</summary>
    public static Dictionary<string, (string? State, string? Reason)> Plugins(string controlSocket)
    {
        using JsonDocument doc = Query(controlSocket);
        var result = new Dictionary<string, (string? State, string? Reason)>(StringComparer.Ordinal);
        foreach (JsonElement p in doc.RootElement.GetProperty("plugins").EnumerateArray())
        {
            string? reason = p.TryGetProperty("reason", out JsonElement r) ? r.GetString() : null;
            result[p.GetProperty("name").GetString() ?? string.Empty] = (p.GetProperty("state").GetString(), reason);
        }

        return result;
    }

    private static void Flatten(JsonElement obj, string prefix, Dictionary<string, long> into)
    {
        foreach (JsonProperty p in obj.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Number)
            {
                into[prefix + p.Name] = p.Value.GetInt64();
            }
            else if (p.Value.ValueKind == JsonValueKind.Object)
            {
                Flatten(p.Value, prefix + p.Name + ".", into);
            }
        }
    }

    private static JsonDocument Query(string controlSocket)
    {
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.Connect(new UnixDomainSocketEndPoint(controlSocket));
        s.Send("{\"cmd\":\"status\"}\n"u8);
        using var reader = new StreamReader(new NetworkStream(s, ownsSocket: false));
        return JsonDocument.Parse(reader.ReadLine() ?? "{}");
    }
}
