using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EfdDaemon.Interop;
using EfdDaemon.Tests.Support;
using Xunit.Abstractions;

namespace EfdDaemon.Tests.Control;

/// <summary>
/// The control socket's bounds against the built daemon as a child process, with its memory read
/// from /proc/PID/status (src/EfdDaemon/INTERFACES.md, Bounds). The figures go to the test output.
/// </summary>
public sealed class ControlBoundsTests(ITestOutputHelper output)
{
    private const string TooLong = "{\"ok\":false,\"error\":\"request too long\"}";

    [Fact]
    public async Task A300MiBLineIsAnsweredRequestTooLongWithoutGrowingTheDaemonAndTheNextClientGetsItsStatus()
    {
        using var daemon = new DaemonProcess(underSystemd: false);
        await daemon.WaitForOutputAsync("Control socket listening");
        int pid = daemon.Process.Id;

        // Warm the paths once with a line just past the limit, so the measurement sees no JIT.
        using (LineClient warm = await ConnectAsync(daemon))
        {
            await warm.SendAsync(new string('x', 70 * 1024));
            Assert.Equal(TooLong, await warm.ReadLineAsync());
        }

        await AssertStatusAnswersAsync(daemon);
        long rssBefore = ProcessMemory.Rss(pid);
        ProcessMemory.ResetPeak(pid);

        using var socket = await ConnectSocketAsync(daemon);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        Task<long> send = SendWithoutNewlineAsync(stream, 300 * ProcessMemory.MiB);
        string reply = await ReadLineAsync(stream);
        long sent = await send.WaitAsync(TestTimeouts.Bound);
        long peak = ProcessMemory.Peak(pid), rssAfter = ProcessMemory.Rss(pid);
        output.WriteLine($"300 MiB line: daemon VmRSS {ProcessMemory.Describe(rssBefore)} before, {ProcessMemory.Describe(rssAfter)} after, VmHWM during {ProcessMemory.Describe(peak)}; the client got {ProcessMemory.Describe(sent)} in before the close");

        Assert.Equal(TooLong, reply);
        Assert.True(sent < 16 * ProcessMemory.MiB, $"the daemon read on: {sent} bytes went in");
        Assert.True(peak - rssBefore < 8 * ProcessMemory.MiB, $"peak {ProcessMemory.Describe(peak)} against {ProcessMemory.Describe(rssBefore)} before");
        await AssertStatusAnswersAsync(daemon);
    }

    [Fact]
    public async Task ConnectionsUpToTheCapAreServedThoseBeyondItGetOneErrorLineAndEachBurstIsLoggedOnce()
    {
        const int Cap = 4;
        const string AtCap = "Control socket at its cap of 4 open connections";
        using var daemon = new DaemonProcess(underSystemd: false, null, $"--Daemon:MaxControlConnections={Cap}", "--Logging:MinimumLevel=Debug");
        await daemon.WaitForOutputAsync("Control socket listening");
        long rssBefore = ProcessMemory.Rss(daemon.Process.Id);
        var open = new List<LineClient>();
        for (int i = 0; i < Cap; i++)
        {
            LineClient client = await ConnectAsync(daemon);
            open.Add(client);
            await client.SendAsync("{\"cmd\":\"status\"}");
            Assert.StartsWith("{\"ok\":true", await client.ReadLineAsync(), StringComparison.Ordinal);
        }

        string[] refused = [await RefusedLineAsync(daemon), await RefusedLineAsync(daemon), await RefusedLineAsync(daemon)];
        open[0].Dispose();
        await daemon.WaitForOutputAsync("Control connection closed (3 open)");
        using (LineClient again = await ConnectAsync(daemon))
        {
            await again.SendAsync("{\"cmd\":\"status\"}");
            Assert.StartsWith("{\"ok\":true", await again.ReadLineAsync(), StringComparison.Ordinal);

            // Four open again: a second burst.
            refused = [.. refused, await RefusedLineAsync(daemon)];
            open[1].Dispose();
            open[2].Dispose();
            await daemon.WaitForOutputAsync("Control connection closed (2 open)");
        }

        output.WriteLine($"cap {Cap}: daemon VmRSS {ProcessMemory.Describe(rssBefore)} before, {ProcessMemory.Describe(ProcessMemory.Rss(daemon.Process.Id))} after");
        Assert.All(refused, line => Assert.Equal("{\"ok\":false,\"error\":\"too many control connections (limit 4); try again later\"}", line));
        Assert.Equal(2, CountOccurrences(daemon.Output, AtCap));
        open.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task SilentConnectionsUpToTheDefaultCapHoldLittleMoreThanTheirDescriptors()
    {
        const int Cap = 64;
        using var daemon = new DaemonProcess(underSystemd: false, null, "--Logging:MinimumLevel=Debug");
        await daemon.WaitForOutputAsync("Control socket listening");
        int pid = daemon.Process.Id;
        await WarmUpAsync(daemon);
        await daemon.WaitForOutputAsync("Control connection closed (0 open)");
        long rssBefore = ProcessMemory.Rss(pid);
        int fdsBefore = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

        var silent = new List<Socket>();
        for (int i = 0; i < Cap; i++)
        {
            silent.Add(await ConnectSocketAsync(daemon));
        }

        // The one past the cap is refused: all 64 are open sessions, waiting for a first byte.
        string refused = await RefusedLineAsync(daemon);
        long rssAfter = ProcessMemory.Rss(pid);
        int fdsAfter = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        output.WriteLine($"{Cap} silent connections: daemon VmRSS {ProcessMemory.Describe(rssBefore)} before, {ProcessMemory.Describe(rssAfter)} with them open ({(rssAfter - rssBefore) / Cap} bytes each); {fdsAfter - fdsBefore} more descriptors");

        Assert.Equal("{\"ok\":false,\"error\":\"too many control connections (limit 64); try again later\"}", refused);
        Assert.Equal(Cap, fdsAfter - fdsBefore);
        Assert.True(rssAfter - rssBefore < 4 * ProcessMemory.MiB, $"{ProcessMemory.Describe(rssAfter - rssBefore)} for {Cap} silent connections");
        silent.ForEach(s => s.Dispose());
    }

    [RequiresRootFact("pidfd_getfd needs ptrace access to the daemon")]
    public async Task AListenerThatNeverReadsDuringAMillionEventFloodCostsBoundedMemoryAndIsToldWhatItSkipped()
    {
        const long Flood = 1_000_000;
        using var daemon = new DaemonProcess(underSystemd: false, null, "--Daemon:EventfdMode=Semaphore", "--Handlers:LogHandler:Enabled=false", "--Handlers:ExecHandler:Enabled=false");
        await daemon.WaitForOutputAsync("Control socket listening");
        int pid = daemon.Process.Id;
        int efd = int.Parse(await File.ReadAllTextAsync(Path.Combine(daemon.RunDirectory, "efd")), CultureInfo.InvariantCulture);
        using LineClient listener = await ConnectAsync(daemon);
        await listener.SendAsync("{\"cmd\":\"listen\"}");
        Assert.Equal("{\"ok\":true,\"listening\":true}", await listener.ReadLineAsync());
        long rssBefore = ProcessMemory.Rss(pid);
        ProcessMemory.ResetPeak(pid);

        // Semaphore mode: one write of a million is a million reads, each an event.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (FileDescriptor pidfd = Pidfd.Open(pid))
        using (FileDescriptor eventfd = Pidfd.GetFd(pidfd, efd))
        {
            Eventfd.Write(eventfd, (ulong)Flood);
        }

        await WaitForReceivedAsync(daemon, Flood);
        TimeSpan flooded = clock.Elapsed;
        long peak = ProcessMemory.Peak(pid), rssAfter = ProcessMemory.Rss(pid);

        long events = 0, skipped = 0;
        while (events + skipped < Flood)
        {
            using JsonDocument line = JsonDocument.Parse(await listener.ReadLineAsync());
            if (line.RootElement.TryGetProperty("skipped", out JsonElement n))
            {
                skipped += n.GetInt64();
            }
            else
            {
                events++;
            }
        }

        output.WriteLine($"1 M-event flood, listener not reading: daemon VmRSS {ProcessMemory.Describe(rssBefore)} before, {ProcessMemory.Describe(rssAfter)} after, VmHWM during {ProcessMemory.Describe(peak)}; {events} events delivered, {skipped} skipped; the flood took {flooded.TotalMilliseconds:0} ms");
        Assert.Equal(Flood, events + skipped);
        Assert.InRange(events, 1, 64 * 1024);
        // Buffered whole, a million ~250-byte lines would be ~250 MiB; the bound is a queue and a socket buffer.
        Assert.True(peak - rssBefore < 32 * ProcessMemory.MiB, $"peak {ProcessMemory.Describe(peak)} against {ProcessMemory.Describe(rssBefore)} before");
    }

    private static async Task<long> SendWithoutNewlineAsync(Stream stream, long total)
    {
        byte[] chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'x');
        long sent = 0;
        try
        {
            while (sent < total)
            {
                await stream.WriteAsync(chunk);
                sent += chunk.Length;
            }
        }
        catch (IOException)
        {
            // EPIPE or ECONNRESET: the daemon closed after its error line.
        }

        return sent;
    }

    /// <summary>Reads one line byte by byte: the daemon may reset the connection right after it.</summary>
    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new List<byte>();
        byte[] one = new byte[1];
        while (await stream.ReadAsync(one).AsTask().WaitAsync(TestTimeouts.Bound) == 1 && one[0] != (byte)'\n')
        {
            line.Add(one[0]);
        }

        return Encoding.UTF8.GetString([.. line]);
    }

    private static async Task<string> RefusedLineAsync(DaemonProcess daemon)
    {
        using Socket socket = await ConnectSocketAsync(daemon);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        string line = await ReadLineAsync(stream);
        Assert.Equal(0, await stream.ReadAsync(new byte[1]).AsTask().WaitAsync(TestTimeouts.Bound));
        return line;
    }

    /// <summary>Runs a session's whole path once (connect, request, reply, close) so the measurement sees no first-use cost.</summary>
    private static async Task WarmUpAsync(DaemonProcess daemon)
    {
        using LineClient client = await ConnectAsync(daemon);
        await client.SendAsync("{\"cmd\":\"status\"}");
        Assert.StartsWith("{\"ok\":true", await client.ReadLineAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertStatusAnswersAsync(DaemonProcess daemon)
    {
        using LineClient client = await ConnectAsync(daemon);
        await client.SendAsync("{\"cmd\":\"status\"}");
        Assert.StartsWith("{\"ok\":true", await client.ReadLineAsync(), StringComparison.Ordinal);
    }

    /// <summary>Asks <c>status</c> until the daemon has received <paramref name="count"/> events: no log line marks the end of a flood.</summary>
    private static async Task WaitForReceivedAsync(DaemonProcess daemon, long count)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Bound);
        using LineClient client = await ConnectAsync(daemon);
        while (true)
        {
            await client.SendAsync("{\"cmd\":\"status\"}");
            using JsonDocument status = JsonDocument.Parse(await client.ReadLineAsync());
            if (status.RootElement.GetProperty("counters").GetProperty("received").GetInt64() >= count)
            {
                return;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    private static int CountOccurrences(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task<Socket> ConnectSocketAsync(DaemonProcess daemon)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(daemon.RunDirectory, EfdDaemon.RunFiles.RunDirectory.ControlSocketFile)));
        return socket;
    }

    private static async Task<LineClient> ConnectAsync(DaemonProcess daemon) => new(await ConnectSocketAsync(daemon));
}
