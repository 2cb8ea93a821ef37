using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EfdDaemon.Protocol;

/// <summary>
/// Reads a <c>kinds</c> array whose items are names (<c>"NETDEV"</c>) or numbers (<c>3</c>), as the
/// contract allows, into their text; anything else in the array is a JSON error. Writes strings.
/// </summary>
internal sealed class KindListConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("\"kinds\" is not an array");
        }

        var kinds = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            kinds.Add(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => reader.TryGetUInt32(out uint n)
                    ? n.ToString(CultureInfo.InvariantCulture)
                    : System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                _ => throw new JsonException("a kind is a name or a number"),
            });
        }

        return kinds;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (string kind in value)
        {
            writer.WriteStringValue(kind);
        }

        writer.WriteEndArray();
    }
}
