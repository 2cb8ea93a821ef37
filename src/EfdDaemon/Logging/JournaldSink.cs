using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace EfdDaemon.Logging;

/// <summary>
/// Writes each entry as one journald native-protocol datagram (systemd's journal-native-protocol):
/// <c>NAME=value\n</c> per field, or <c>NAME\n</c> + 64-bit little-endian length + value + <c>\n</c>
/// when the value has a newline (INTERFACES.md, journal fields). No Serilog sink package does this.
/// </summary>
/// <remarks>
/// An entry always fits one datagram of <see cref="MaxDatagram"/> bytes (larger ones would need a memfd
/// passed with SCM_RIGHTS): each field other than MESSAGE is cut to <see cref="MaxFieldBytes"/> UTF-8
/// bytes, and MESSAGE to what remains; every cut is on a character boundary. A cut MESSAGE ends with
/// <c> [cut to K of N bytes]</c> and the entry gets <c>EFD_MESSAGE_ORIGINAL_BYTES=N</c>
/// (src/EfdDaemon/INTERFACES.md, Bounds). The daemon's entries are far smaller.
/// </remarks>
internal sealed class JournaldSink : ILogEventSink, IDisposable
{
    public const int MaxDatagram = 200 * 1024;
    public const int MaxFieldBytes = 8 * 1024;
    public const string OriginalBytesField = "EFD_MESSAGE_ORIGINAL_BYTES";

    /// <summary>MESSAGE's framing at its longest: the name, a newline, the 64-bit length, the closing newline.</summary>
    private const int MessageFraming = 7 + 1 + 8 + 1;

    /// <summary>The framing, the cut note and its <see cref="OriginalBytesField"/> field, at their longest, with room to spare.</summary>
    private const int MessageReserve = 128;

    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _endpoint;
    private readonly Lock _lock = new();

    public JournaldSink(string socketPath)
    {
        _endpoint = new UnixDomainSocketEndPoint(socketPath);
    }

    public void Emit(LogEvent logEvent)
    {
        byte[] datagram = Format(logEvent);
        try
        {
            lock (_lock)
            {
                _socket.SendTo(datagram, SocketFlags.None, _endpoint);
            }
        }
        catch (SocketException ex)
        {
            SelfLog.WriteLine("journald sink: {0}", ex.Message);
        }
    }

    /// <summary>Encodes one entry as a native-protocol datagram of at most <see cref="MaxDatagram"/> bytes.</summary>
    public static byte[] Format(LogEvent logEvent)
    {
        string message = MessageRenderer.Render(logEvent);
        if (logEvent.Exception is { } ex)
        {
            message += "\n" + ex;
        }

        using var fields = new MemoryStream();
        WriteField(fields, "PRIORITY", JournalFields.Priority(logEvent.Level).ToString(CultureInfo.InvariantCulture));
        WriteField(fields, "SYSLOG_IDENTIFIER", JournalFields.SyslogIdentifier);
        foreach ((string name, LogEventPropertyValue value) in logEvent.Properties)
        {
            if (JournalFields.FieldName(name) is { } field)
            {
                WriteField(fields, field, Render(name, value), MaxFieldBytes);
            }
        }

        using var buffer = new MemoryStream();
        byte[] text = Encoding.UTF8.GetBytes(message);
        int room = MaxDatagram - (int)fields.Length;
        if (text.Length + MessageFraming <= room)
        {
            WriteField(buffer, "MESSAGE", text);
        }
        else
        {
            int kept = Utf8Cut.PrefixLength(text, Math.Max(room - MessageReserve, 0));
            byte[] note = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" [cut to {kept} of {text.Length} bytes]"));
            WriteField(buffer, "MESSAGE", [.. text.AsSpan(0, kept), .. note]);
            WriteField(buffer, OriginalBytesField, text.Length.ToString(CultureInfo.InvariantCulture));
        }

        fields.WriteTo(buffer);
        return buffer.ToArray();
    }

    public void Dispose() => _socket.Dispose();

    private static string Render(string name, LogEventPropertyValue value)
    {
        // Microsoft.Extensions.Logging's event id arrives as { Id: 1000, Name: "Starting" }.
        if (name == "EventId" && value is StructureValue s && s.Properties.FirstOrDefault(p => p.Name == "Id")?.Value is ScalarValue id)
        {
            return Convert.ToString(id.Value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        return value is ScalarValue { Value: var v }
            ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty
            : value.ToString(null, CultureInfo.InvariantCulture);
    }

    private static void WriteField(Stream stream, string name, string value, int maxBytes = int.MaxValue)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        WriteField(stream, name, bytes.AsSpan(0, Utf8Cut.PrefixLength(bytes, maxBytes)));
    }

    private static void WriteField(Stream stream, string name, ReadOnlySpan<byte> value)
    {
        stream.Write(Encoding.ASCII.GetBytes(name));
        if (value.Contains((byte)'\n'))
        {
            Span<byte> length = stackalloc byte[9];
            length[0] = (byte)'\n';
            BinaryPrimitives.WriteUInt64LittleEndian(length[1..], (ulong)value.Length);
            stream.Write(length);
        }
        else
        {
            stream.WriteByte((byte)'=');
        }

        stream.Write(value);
        stream.WriteByte((byte)'\n');
    }
}
