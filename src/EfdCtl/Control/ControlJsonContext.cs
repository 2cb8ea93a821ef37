using System.Text.Json.Serialization;

namespace EfdCtl.Control;

/// <summary>Source-generated serialization for the control protocol (trim- and NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(StatusReply))]
[JsonSerializable(typeof(ListenEvent))]
internal sealed partial class ControlJsonContext : JsonSerializerContext
{
}
