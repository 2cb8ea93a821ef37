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
/// when the value has a newline. No package served here does this (DESIGN.md, Logging).
/// </summary>
/// <remarks>
/// Entries larger than a datagram (journald then expects a memfd passed with SCM_RIGHTS) are cut to
/// <see cref="MaxDatagram"/> bytes of MESSAGE; the daemon's entries are far smaller.
/// </remarks>
internal sealed class JournaldSink : ILogEventSink, IDisposable
{
    public const int MaxDatagram = 200 * 1024;

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

    /// <summary>Encodes one entry as a native-protocol datagram.</summary>
    public static byte[] Format(LogEvent logEvent)
    {
        using var buffer = new MemoryStream();
        string message = MessageRenderer.Render(logEvent);
        if (logEvent.Exception is { } ex)
        {
            message += "\n" + ex;
        }

        if (message.Length > MaxDatagram / 2)
        {
            message = message[..(MaxDatagram / 2)];
        }

        WriteField(buffer, "MESSAGE", message);
        WriteField(buffer, "PRIORITY", JournalFields.Priority(logEvent.Level).ToString(CultureInfo.InvariantCulture));
        WriteField(buffer, "SYSLOG_IDENTIFIER", JournalFields.SyslogIdentifier);
        foreach ((string name, LogEventPropertyValue value) in logEvent.Properties)
        {
            if (JournalFields.FieldName(name) is { } field)
            {
                WriteField(buffer, field, Render(name, value));
            }
        }

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

    private static void WriteField(Stream stream, string name, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        stream.Write(Encoding.ASCII.GetBytes(name));
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            Span<byte> length = stackalloc byte[9];
            length[0] = (byte)'\n';
            BinaryPrimitives.WriteUInt64LittleEndian(length[1..], (ulong)bytes.Length);
            stream.Write(length);
        }
        else
        {
            stream.WriteByte((byte)'=');
        }

        stream.Write(bytes);
        stream.WriteByte((byte)'\n');
    }
}
