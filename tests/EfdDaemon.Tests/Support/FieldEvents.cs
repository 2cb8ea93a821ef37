using System.Net;
using System.Text;

namespace EfdDaemon.Tests.Support;

/// <summary>Events of any format, built field by field (a registered kind's as a module would send them).</summary>
internal static class FieldEvents
{
    /// <summary>The registered kind of these tests: <c>example.event</c>, fields <c>n u32</c>, <c>text str 16</c>, <c>addr ipv4</c>.</summary>
    public static readonly EventFormat Example = Registered(0x10000, "example.event");

    public static EventFormat Registered(uint kind, string name) =>
        new((EventKind)kind, name,
        [
            new EventField("n", EventFieldType.U32, 0, 4),
            new EventField("text", EventFieldType.Str, 4, 16),
            new EventField("addr", EventFieldType.Ipv4, 20, 4),
        ]);

    public static KernelEvent Of(EventFormat format, params (string Field, object Value)[] values) =>
        new(7, format.Kind, 1, 99, DateTimeOffset.UtcNow, Payload(format, values)) { Format = format };

    public static KernelEvent Of(EventKind builtIn, params (string Field, object Value)[] values) =>
        Of(BuiltInKinds.Get(builtIn)!, values);

    /// <summary>A payload of the format's extent, zero but for the given fields (integers native-endian, as the kernel writes them).</summary>
    public static byte[] Payload(EventFormat format, params (string Field, object Value)[] values)
    {
        byte[] payload = new byte[format.Extent];
        foreach ((string name, object value) in values)
        {
            Assert.True(format.TryGetField(name, out EventField? field), $"{format.Name} has no field {name}");
            Span<byte> at = payload.AsSpan(field.Offset, field.Size);
            switch (value)
            {
                case string text:
                    Encoding.UTF8.GetBytes(text).CopyTo(at);
                    break;
                case IPAddress address:
                    address.GetAddressBytes().CopyTo(at);
                    break;
                case byte[] bytes:
                    bytes.CopyTo(at);
                    break;
                case ulong big:
                    BitConverter.GetBytes(big).CopyTo(at);
                    break;
                default:
                    long n = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                    BitConverter.GetBytes(n).AsSpan(0, field.Size).CopyTo(at); // native-endian, as the kernel writes them
                    break;
            }
        }

        return payload;
    }
}
