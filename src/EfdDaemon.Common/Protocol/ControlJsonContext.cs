using System.Text.Json;
using System.Text.Json.Serialization;

namespace EfdDaemon.Protocol;

/// <summary>Source-generated serialization of the control protocol, used by both sides (trim- and NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlReply))]
[JsonSerializable(typeof(ListenEvent))]
internal sealed partial class ControlJsonContext : JsonSerializerContext
{
}
