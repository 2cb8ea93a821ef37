using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using EfdDaemon.Control;
using EfdDaemon.Interop;
using EfdDaemon.Tests.Control;

namespace EfdDaemon.Tests.Hosting;

/// <summary>The built daemon as a child process: sd_notify order, cross-process signalling, clean stop.</summary>
public sealed class ChildProcessTests
{
    private const int SIGTERM = 15;
    private const int SIGHUP = 1;

    [Fact]
    public async Task UnderSystemdNotifiesReadyAfterRunFilesThenWatchdogThenStopping()
    {
        using var daemon = new DaemonProcess(underSystemd: true, new Dictionary<string, string> { ["WATCHDOG_USEC"] = "200000" });
        var messages = new List<string>();

        string first = await daemon.ReceiveNotifyAsync();
        messages.Add(first);
        Assert.True(first.Contains("READY=1", StringComparison.Ordinal), $"first datagram: {first}\n{daemon.Output}");
        Assert.Equal($"{daemon.Pid}\n", await File.ReadAllTextAsync(Path.Combine(daemon.RunDirectory, "pid")));
        Assert.True(File.Exists(Path.Combine(daemon.RunDirectory, "efd")));
        Assert.True(File.Exists(Path.Combine(daemon.RunDirectory, EfdDaemon.RunFiles.RunDirectory.ControlSocketFile)));

        string next;
        while (!(next = await daemon.ReceiveNotifyAsync()).Contains("WATCHDOG=1", StringComparison.Ordinal))
        {
            messages.Add(next);
        }

        daemon.Signal(SIGTERM);
        while (!(next = await daemon.ReceiveNotifyAsync()).Contains("STOPPING=1", StringComparison.Ordinal))
        {
            messages.Add(next);
        }

        Assert.Equal(0, await daemon.WaitForExitAsync());
        Assert.False(File.Exists(Path.Combine(daemon.RunDirectory, "pid")), daemon.Output);
        Assert.DoesNotContain(messages, m => m.Contains("STOPPING=1", StringComparison.Ordinal));
    }

    [RequiresRootFact("pidfd_getfd needs ptrace access to the daemon")]
    public async Task AnotherProcessSignalsTheDaemonsEventfdThroughPidfdGetfd()
    {
        using var daemon = new DaemonProcess(underSystemd: true);
        Assert.Contains("READY=1", await daemon.ReceiveNotifyAsync(), StringComparison.Ordinal);
        int pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(daemon.RunDirectory, "pid")), CultureInfo.InvariantCulture);
        int efd = int.Parse(await File.ReadAllTextAsync(Path.Combine(daemon.RunDirectory, "efd")), CultureInfo.InvariantCulture);
        using var client = await ListenAsync(daemon.RunDirectory);

        using (FileDescriptor pidfd = Pidfd.Open(pid))
        using (FileDescriptor eventfd = Pidfd.GetFd(pidfd, efd))
        {
            Eventfd.Write(eventfd, 3);
        }

        using JsonDocument line = JsonDocument.Parse(await client.ReadLineAsync());
        Assert.Equal("SIGNAL", line.RootElement.GetProperty("kind").GetString());
        Assert.Equal(3UL, line.RootElement.GetProperty("count").GetUInt64());
        daemon.Signal(SIGTERM);
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    [Fact]
    public async Task SighupReloadsHandlerSettingsAndKeepsRunning()
    {
        using var daemon = new DaemonProcess(underSystemd: true);
        Assert.Contains("READY=1", await daemon.ReceiveNotifyAsync(), StringComparison.Ordinal);
        string config = Path.Combine(Path.GetDirectoryName(daemon.RunDirectory)!, "etc", "efd-daemon.json");
        await File.WriteAllTextAsync(config, """{ "Handlers": { "LogHandler": { "QueueCapacity": 7 } } }""");

        daemon.Signal(SIGHUP);
        await daemon.WaitForOutputAsync("Configuration reloaded (SIGHUP)");
        using var client = await ConnectAsync(daemon.RunDirectory);
        await client.SendAsync("{\"cmd\":\"status\"}");
        using JsonDocument status = JsonDocument.Parse(await client.ReadLineAsync());
        JsonElement handler = status.RootElement.GetProperty("handlers").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "LogHandler");

        Assert.Equal(7, handler.GetProperty("queueCapacity").GetInt32());
        daemon.Signal(SIGTERM);
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    private static async Task<LineClient> ConnectAsync(string runDirectory)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(runDirectory, EfdDaemon.RunFiles.RunDirectory.ControlSocketFile)));
        return new LineClient(socket);
    }

    private static async Task<LineClient> ListenAsync(string runDirectory)
    {
        LineClient client = await ConnectAsync(runDirectory);
        await client.SendAsync("{\"cmd\":\"listen\"}");
        Assert.Equal("{\"ok\":true,\"listening\":true}", await client.ReadLineAsync());
        return client;
    }
}
