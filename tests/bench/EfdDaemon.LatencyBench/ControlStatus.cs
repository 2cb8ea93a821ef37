using System.Net.Sockets;
using System.Text.Json;

namespace EfdDaemon.LatencyBench;

/// <summary>Reads figures from the daemon's control socket (<c>{"cmd":"status"}</c>, src/EfdDaemon/INTERFACES.md).</summary>
internal static class ControlStatus
{
    /// <summary>Returns the daemon-wide <c>counters</c> object's numbers (received, dispatched, dropped, …), or an empty map when the socket does not answer.</summary>
    public static Dictionary<string, long> Counters(string controlSocket)
    {
        var result = new Dictionary<string, long>();
        try
        {
            using JsonDocument doc = Query(controlSocket);
            foreach (JsonProperty p in doc.RootElement.GetProperty("counters").EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Number)
                {
                    result[p.Name] = p.Value.GetInt64();
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // No control socket: the caller reports what it has.
        }

        return result;
    }

    /// <summary>Returns one handler's <c>handled</c> and <c>dropped</c> counters.</summary>
    public static (long Handled, long Dropped) Handler(string controlSocket, string handler)
    {
        using JsonDocument doc = Query(controlSocket);
        foreach (JsonElement h in doc.RootElement.GetProperty("handlers").EnumerateArray())
        {
            if (h.GetProperty("name").GetString() == handler)
            {
                return (h.GetProperty("handled").GetInt64(), h.GetProperty("dropped").GetInt64());
            }
        }

        throw new InvalidOperationException($"status lists no handler {handler}");
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
