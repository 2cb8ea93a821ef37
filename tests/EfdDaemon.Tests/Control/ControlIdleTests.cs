using System.Net.Sockets;
using EfdDaemon.Control;
using EfdDaemon.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EfdDaemon.Tests.Control;

/// <summary>Daemon:ControlIdleTimeout on the in-process daemon, its time a <see cref="FakeTimeProvider"/>.</summary>
public sealed class ControlIdleTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AConnectionSilentForTheIdleTimeoutIsToldAndClosedAndOneJustShortOfItIsServed()
    {
        var time = new FakeTimeProvider();
        await using var daemon = new InProcessDaemon(b => b.Services.AddSingleton<TimeProvider>(time), "--Daemon:ControlIdleTimeout=00:00:30");
        await daemon.StartAsync();
        using LineClient client = await ConnectAsync(daemon);
        await client.SendAsync("{\"cmd\":\"status\"}");
        Assert.StartsWith("{\"ok\":true", await client.ReadLineAsync(), StringComparison.Ordinal);

        time.Advance(Idle - TimeSpan.FromMilliseconds(1));
        await client.SendAsync("{\"cmd\":\"status\"}");
        string served = await client.ReadLineAsync();
        time.Advance(Idle);
        string closing = await client.ReadLineAsync();

        Assert.StartsWith("{\"ok\":true", served, StringComparison.Ordinal);
        Assert.Equal("{\"ok\":false,\"error\":\"idle timeout: closing\"}", closing);
        await Assert.ThrowsAsync<EndOfStreamException>(client.ReadLineAsync);
    }

    [Fact]
    public async Task AConnectionThatNeverSendsAByteIsClosedAfterTheIdleTimeout()
    {
        // Real time, a short timeout: the session's first timer is armed when it starts, which a fake clock cannot wait for.
        await using var daemon = new InProcessDaemon(configure: null, "--Daemon:ControlIdleTimeout=00:00:00.100");
        await daemon.StartAsync();
        using LineClient client = await ConnectAsync(daemon);

        Assert.Equal("{\"ok\":false,\"error\":\"idle timeout: closing\"}", await client.ReadLineAsync());
        await Assert.ThrowsAsync<EndOfStreamException>(client.ReadLineAsync);
    }

    [Fact]
    public async Task AListenerIsNotClosedByTheIdleTimeout()
    {
        var time = new FakeTimeProvider();
        await using var daemon = new InProcessDaemon(b => b.Services.AddSingleton<TimeProvider>(time), "--Daemon:ControlIdleTimeout=00:00:30", "--Daemon:EventfdMode=Semaphore");
        await daemon.StartAsync();
        using LineClient client = await ConnectAsync(daemon);
        await client.SendAsync("{\"cmd\":\"listen\",\"kinds\":[\"SIGNAL\"]}");
        Assert.Equal("{\"ok\":true,\"listening\":true}", await client.ReadLineAsync());

        time.Advance(Idle * 10);
        daemon.Source.Signal();

        Assert.Contains("\"kind\":\"SIGNAL\"", await client.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReaderHoldsNoBufferBeforeTheFirstByteNorBetweenRequestsAndStopsAtTheLimit()
    {
        (Socket client, Socket accepted) = await ConnectedPairAsync();
        using var clientEnd = client;
        using var acceptedEnd = accepted;
        using var reader = new RequestLineReader(accepted, maxLineBytes: 8);

        ValueTask<RequestLineStatus> first = reader.ReadAsync(CancellationToken.None);
        bool heldWhileSilent = reader.HoldsBuffer;
        await client.SendAsync("12345678\n123"u8.ToArray());
        RequestLineStatus exact = await first;
        string line = System.Text.Encoding.ASCII.GetString(reader.Line.Span);
        ValueTask<RequestLineStatus> second = reader.ReadAsync(CancellationToken.None);
        bool heldWithPartialLine = reader.HoldsBuffer;
        await client.SendAsync("456789"u8.ToArray());
        RequestLineStatus tooLong = await second;

        Assert.False(heldWhileSilent);
        Assert.Equal(RequestLineStatus.Line, exact);
        Assert.Equal("12345678", line);
        Assert.True(heldWithPartialLine);
        Assert.Equal(RequestLineStatus.TooLong, tooLong);
    }

    [Fact]
    public async Task TheLastLineMayEndWithoutANewlineAndAReturnedBufferIsNotHeld()
    {
        (Socket client, Socket accepted) = await ConnectedPairAsync();
        using var clientEnd = client;
        using var acceptedEnd = accepted;
        using var reader = new RequestLineReader(accepted, maxLineBytes: 64);

        await client.SendAsync("a\nb"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);
        var lines = new List<string>();
        while (await reader.ReadAsync(CancellationToken.None) == RequestLineStatus.Line)
        {
            lines.Add(System.Text.Encoding.ASCII.GetString(reader.Line.Span));
        }

        Assert.Equal(["a", "b"], lines);
        Assert.False(reader.HoldsBuffer);
    }

    private static async Task<LineClient> ConnectAsync(InProcessDaemon daemon)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(daemon.RunDirectory, EfdDaemon.RunFiles.RunDirectory.ControlSocketFile)));
        return new LineClient(socket);
    }

    /// <summary>Both ends of one AF_UNIX stream connection, as the control server would have them.</summary>
    private static async Task<(Socket Client, Socket Accepted)> ConnectedPairAsync()
    {
        using var dir = new TempDirectory();
        using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(dir.Combine("s")));
        server.Listen();
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(dir.Combine("s")));
        return (client, await server.AcceptAsync());
    }
}

public sealed class ConnectionAdmissionTests
{
    [Fact]
    public void ConnectionsBelowTheCapAreAdmittedAndOnlyTheFirstRefusalOfABurstStartsIt()
    {
        var admission = new ConnectionAdmission(maxConnections: 2);
        var seen = new List<(bool Admitted, bool StartsBurst)>();
        foreach (int open in (int[])[0, 1, 2, 2, 2, 1, 2, 2])
        {
            bool admitted = admission.Admit(open);
            seen.Add((admitted, admission.StartsBurst));
        }

        Assert.Equal(
            [(true, false), (true, false), (false, true), (false, false), (false, false), (true, false), (false, true), (false, false)],
            seen);
    }

}
