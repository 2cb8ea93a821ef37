using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using EfdDaemon.Logging;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;

namespace EfdDaemon.Tests.Logging;

/// <summary>The journald sink's datagrams, received on a test AF_UNIX datagram socket and parsed as journald would.</summary>
public sealed class JournaldSinkTests : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly TempDirectory _dir = new();
    private readonly Socket _journal = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string _path;

    public JournaldSinkTests()
    {
        _path = _dir.Combine("journal.sock");
        _journal.Bind(new UnixDomainSocketEndPoint(_path));
    }

    [Fact]
    public async Task AnEventLineCarriesItsPropertiesAsCoordNamedFieldsWithPriorityAndEventId()
    {
        using (SerilogLoggerFactory factory = Factory())
        {
            EfdDaemon.Log.Event(factory.CreateLogger("EfdDaemon.Handlers.LogHandler"), "NETDEV", 12, 1, "netdev dummy0 UP");
        }

        Dictionary<string, string> fields = await ReceiveAsync();

        Assert.Equal("NETDEV event 12 (count 1): netdev dummy0 UP", fields["MESSAGE"]);
        Assert.Equal("6", fields["PRIORITY"]);
        Assert.Equal("efd-daemon", fields["SYSLOG_IDENTIFIER"]);
        Assert.Equal("5500", fields["EFD_EVENT_ID"]);
        Assert.Equal("NETDEV", fields["EFD_KIND"]);
        Assert.Equal("12", fields["EFD_SEQ"]);
        Assert.Equal("1", fields["EFD_COUNT"]);
        Assert.Equal("netdev dummy0 UP", fields["EFD_DETAILS"]);
    }

    [Fact]
    public async Task LogHandlersEntryCarriesEveryPayloadFieldAsEfdF()
    {
        byte[] payload = new byte[28];
        "eth 0"u8.CopyTo(payload);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(16), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(24), 0x1003);
        await LogThroughLogHandlerAsync(new KernelEvent(12, EventKind.Netdev, 1, 0, DateTimeOffset.UnixEpoch, payload));

        Dictionary<string, string> fields = await ReceiveAsync();

        Assert.Equal("NETDEV event 12 (count 1): ifname=\"eth 0\" ifindex=2 event=UP flags=0x1003", fields["MESSAGE"]);
        Assert.Equal(("eth 0", "2", "UP", "0x1003"), (fields["EFD_F_IFNAME"], fields["EFD_F_IFINDEX"], fields["EFD_F_EVENT"], fields["EFD_F_FLAGS"]));
        Assert.False(fields.ContainsKey("EFD_F_NETNS"), "a field past the payload's length is not shown");
    }

    [Fact]
    public async Task ARegisteredKindIsJournalledUnderItsNameWithItsFields()
    {
        var format = new EventFormat((EventKind)0x10000, "example.event",
            [new EventField("n", EventFieldType.U32, 0, 4), new EventField("text", EventFieldType.Str, 4, 16), new EventField("addr", EventFieldType.Ipv4, 20, 4)]);
        byte[] payload = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, 5);
        "efd_lkm_example"u8.CopyTo(payload.AsSpan(4));
        new byte[] { 192, 0, 2, 5 }.CopyTo(payload, 20);
        await LogThroughLogHandlerAsync(new KernelEvent(9, (EventKind)0x10000, 1, 0, DateTimeOffset.UnixEpoch, payload) { Format = format });

        Dictionary<string, string> fields = await ReceiveAsync();

        Assert.Equal("example.event", fields["EFD_KIND"]);
        Assert.Equal(("5", "efd_lkm_example", "192.0.2.5"), (fields["EFD_F_N"], fields["EFD_F_TEXT"], fields["EFD_F_ADDR"]));
        Assert.Equal("example.event event 9 (count 1): n=5 text=efd_lkm_example addr=192.0.2.5", fields["MESSAGE"]);
    }

    private async Task LogThroughLogHandlerAsync(KernelEvent e)
    {
        using SerilogLoggerFactory factory = Factory();
        using var handler = new EfdDaemon.Handlers.LogHandler(new Logger<EfdDaemon.Handlers.LogHandler>(factory),
            Microsoft.Extensions.Options.Options.Create(new EfdDaemon.Handlers.LogHandlerOptions()), TimeProvider.System);
        await handler.HandleAsync(e, default);
    }

    [Fact]
    public async Task AnExceptionMakesAMultiLineMessageInTheLengthPrefixedForm()
    {
        using (SerilogLoggerFactory factory = Factory())
        {
            EfdDaemon.Log.HandlerFailed(factory.CreateLogger("x"), "RateAlert", 7, "TRIGGER", new InvalidOperationException("boom"));
        }

        Dictionary<string, string> fields = await ReceiveAsync();

        Assert.Equal("3", fields["PRIORITY"]);
        Assert.Equal("RateAlert", fields["HANDLER"]);
        Assert.Equal("7", fields["EFD_SEQ"]);
        Assert.StartsWith("Handler RateAlert failed on TRIGGER event 7; it keeps receiving events\nSystem.InvalidOperationException: boom", fields["MESSAGE"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDaemonUnderSystemdLogsToTheJournalSocketWithoutBeingAsked()
    {
        // INVOCATION_ID is what systemd sets for a service; Logging:Journal defaults to Auto.
        using var daemon = new DaemonProcess(
            underSystemd: false,
            new Dictionary<string, string> { ["INVOCATION_ID"] = "0123456789abcdef0123456789abcdef" },
            "--Logging:Journal=Auto",
            $"--Logging:JournalSocket={_path}");

        Dictionary<string, string> fields;
        do
        {
            fields = await ReceiveAsync();
        }
        while (fields.GetValueOrDefault("EFD_EVENT_ID") != "1000");

        Assert.Equal(daemon.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), fields["EFD_PID"]);
        Assert.Equal("6", fields["PRIORITY"]);
        Assert.StartsWith("efd-daemon ", fields["MESSAGE"], StringComparison.Ordinal);
        Assert.DoesNotContain("starting as pid", daemon.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMultiByteMessagePastTheLimitIsCutOnACharacterBoundaryFitsOneDatagramAndSaysSo()
    {
        // 20 000 × "日本語€😀" (16 UTF-8 bytes, 6 UTF-16 chars): 320 000 bytes, past the datagram.
        string text = string.Concat(Enumerable.Repeat("日本語€😀", 20_000));
        string message = "Control client gone: " + text;
        using (SerilogLoggerFactory factory = Factory())
        {
            EfdDaemon.Log.ControlClientGone(factory.CreateLogger("x"), text);
        }

        (Dictionary<string, string> fields, int size) = await ReceiveWithSizeAsync();

        int total = Encoding.UTF8.GetByteCount(message);
        Match cut = Regex.Match(fields["MESSAGE"], @" \[cut to (\d+) of (\d+) bytes\]$");
        Assert.True(cut.Success, "MESSAGE does not end with the cut note");
        string kept = fields["MESSAGE"][..cut.Index];
        Assert.True(size <= JournaldSink.MaxDatagram, $"datagram of {size} bytes");
        Assert.StartsWith(kept, message, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetByteCount(kept).ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Groups[1].Value);
        Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Groups[2].Value);
        Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[JournaldSink.OriginalBytesField]);
        Assert.InRange(Encoding.UTF8.GetByteCount(kept), JournaldSink.MaxDatagram - (16 * 1024), JournaldSink.MaxDatagram);
        Assert.InRange(Encoding.UTF8.GetByteCount(fields["EFD_REASON"]), JournaldSink.MaxFieldBytes - 4, JournaldSink.MaxFieldBytes);
        Assert.StartsWith(fields["EFD_REASON"], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageWithinTheLimitIsWholeAndHasNoCutNote()
    {
        string text = string.Concat(Enumerable.Repeat("€", 30_000));
        using (SerilogLoggerFactory factory = Factory())
        {
            EfdDaemon.Log.ControlClientGone(factory.CreateLogger("x"), text);
        }

        Dictionary<string, string> fields = await ReceiveAsync();

        Assert.Equal("Control client gone: " + text, fields["MESSAGE"]);
        Assert.False(fields.ContainsKey(JournaldSink.OriginalBytesField));
    }

    [Theory]
    [InlineData("a😀", 1, 1)]
    [InlineData("a😀", 4, 1)]
    [InlineData("a😀", 5, 5)]
    [InlineData("€€", 4, 3)]
    [InlineData("abc", 2, 2)]
    [InlineData("abc", 9, 3)]
    public void AUtf8CutNeverSplitsACharacter(string text, int maxBytes, int expected) =>
        Assert.Equal(expected, Utf8Cut.PrefixLength(Encoding.UTF8.GetBytes(text), maxBytes));

    [Theory]
    [InlineData("Pid", "EFD_PID")]
    [InlineData("EventFd", "EFD_FD")]
    [InlineData("Plugin", "PLUGIN")]
    [InlineData("Rule", "EXEC_RULE")]
    [InlineData("QueueCapacity", "EFD_QUEUE_CAPACITY")]
    [InlineData("RunDirectory", "EFD_RUN_DIRECTORY")]
    [InlineData("ABIVersion", "EFD_ABI_VERSION")]
    [InlineData("SourceContext", "EFD_SOURCE_CONTEXT")]
    public void PropertyNamesMapToJournalFieldNames(string property, string field) =>
        Assert.Equal(field, JournalFields.FieldName(property));

    public void Dispose()
    {
        _journal.Dispose();
        _dir.Dispose();
    }

    private SerilogLoggerFactory Factory() =>
        new(new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new JournaldSink(_path)).CreateLogger(), dispose: true);

    private async Task<Dictionary<string, string>> ReceiveAsync() => (await ReceiveWithSizeAsync()).Fields;

    private async Task<(Dictionary<string, string> Fields, int Size)> ReceiveWithSizeAsync()
    {
        // Twice the limit: a datagram over it would be seen whole, not truncated by the receive.
        byte[] buffer = new byte[2 * JournaldSink.MaxDatagram];
        int n = await _journal.ReceiveAsync(buffer).WaitAsync(TestTimeouts.Bound);
        return (Parse(buffer.AsSpan(0, n)), n);
    }

    /// <summary>journald's native protocol: NAME=value\n, or NAME\n + little-endian u64 length + value + \n; values must be whole UTF-8.</summary>
    private static Dictionary<string, string> Parse(ReadOnlySpan<byte> data)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!data.IsEmpty)
        {
            int nl = data.IndexOf((byte)'\n');
            int eq = data[..nl].IndexOf((byte)'=');
            if (eq >= 0)
            {
                fields[Encoding.ASCII.GetString(data[..eq])] = StrictUtf8.GetString(data[(eq + 1)..nl]);
                data = data[(nl + 1)..];
                continue;
            }

            string name = Encoding.ASCII.GetString(data[..nl]);
            int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(data[(nl + 1)..]);
            ReadOnlySpan<byte> value = data.Slice(nl + 9, length);
            Assert.Equal((byte)'\n', data[nl + 9 + length]);
            fields[name] = StrictUtf8.GetString(value);
            data = data[(nl + 10 + length)..];
        }

        return fields;
    }
}
