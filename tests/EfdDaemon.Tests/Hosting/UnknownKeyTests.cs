using System.Text.Json;
using System.Net.Sockets;
using EfdDaemon.Hosting;
using EfdDaemon.Tests.Control;
using EfdDaemon.Tests.Support;

namespace EfdDaemon.Tests.Hosting;

/// <summary>Unknown configuration keys: errors for --check-config, warnings for the running daemon.</summary>
public sealed class UnknownKeyTests
{
    private const int SIGHUP = 1;
    private const int SIGTERM = 15;

    [Fact]
    public async Task CheckConfigReportsMisspeltKeysInTheMainFileADropInAndTheCommandLineWithTheirOriginAndNearestKeyAndExitsOne()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("conf.d"));
        Directory.CreateDirectory(dir.Combine("plugins"));
        await File.WriteAllTextAsync(dir.Combine("efd-daemon.json"), """{ "Module": { "Enabled": false, "Netdv": true } }""");
        await File.WriteAllTextAsync(dir.Combine("conf.d", "50-local.json"), """{ "Handlers": { "LogHandlr": { "Enabled": false } }, "Plugins": { "RateAlrt": { "Enabled": true } } }""");
        var stderr = new StringWriter();

        int code = await EfdProgram.RunAsync(
            ["--config-dir", dir.Path, "--check-config", "--Daemon:MaxControlConection=3", $"--Daemon:PluginDirectories:0={dir.Combine("plugins")}"],
            stderr: stderr);

        Assert.Equal(1, code);
        Assert.Equal(
            [
                $"{dir.Combine("efd-daemon.json")}: unknown key 'Module:Netdv' (did you mean 'Module:Netdev'?)",
                $"{dir.Combine("conf.d", "50-local.json")}: 'Handlers:LogHandlr' matches no handler (known: ExecHandler, LogHandler; did you mean 'Handlers:LogHandler'?)",
                $"{dir.Combine("conf.d", "50-local.json")}: 'Plugins:RateAlrt' matches no plugin (known: none)",
                "command line (--Daemon:MaxControlConection): unknown key 'Daemon:MaxControlConection' (did you mean 'Daemon:MaxControlConnections'?)",
            ],
            stderr.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task TheShippedConfigurationHasNoUnknownKeys()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = await EfdProgram.RunAsync(["--check-config", Repository.Combine("deploy", "config", "efd-daemon.json")], stdout: stdout, stderr: stderr);

        Assert.Equal("", stderr.ToString());
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task AMisspeltEnvironmentVariableIsReportedByNameAndEfdVariablesThatAreNotConfigurationAreNot()
    {
        using var daemon = new DaemonProcess(
            underSystemd: false,
            new Dictionary<string, string> { ["EFD_Module__Netdv"] = "1", ["EFD_RUN_DIR"] = "/nowhere", ["EFD_DAEMON"] = "/nowhere/efd-daemon" },
            "--check-config");

        Assert.Equal(1, await daemon.WaitForExitAsync());
        string[] reported = [.. daemon.Output.Split('\n').Where(l => l.Contains("unknown key", StringComparison.Ordinal))];
        Assert.Equal(["environment (EFD_Module__Netdv): unknown key 'Module:Netdv' (did you mean 'Module:Netdev'?)"], reported);
    }

    [Fact]
    public async Task TheDaemonStartsWithAWarningPerUnknownKeyAndWarnsAgainForOneAddedBeforeAReload()
    {
        using var daemon = new DaemonProcess(underSystemd: true, new Dictionary<string, string> { ["EFD_Module__Netdv"] = "1" });
        Assert.Contains("READY=1", await daemon.ReceiveNotifyAsync(), StringComparison.Ordinal);
        await daemon.WaitForOutputAsync("WRN Configuration: environment (EFD_Module__Netdv): unknown key 'Module:Netdv' (did you mean 'Module:Netdev'?); the key is ignored");

        string config = Path.Combine(Path.GetDirectoryName(daemon.RunDirectory)!, "etc", "efd-daemon.json");
        await File.WriteAllTextAsync(config, """{ "LogHandler": { "SummaryThresholdPerSecnd": 5 } }""");
        daemon.Signal(SIGHUP);
        await daemon.WaitForOutputAsync("Configuration reloaded (SIGHUP)");
        await daemon.WaitForOutputAsync($"WRN Configuration: {config}: unknown key 'LogHandler:SummaryThresholdPerSecnd' (did you mean 'LogHandler:SummaryThresholdPerSecond'?)");

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(daemon.RunDirectory, EfdDaemon.RunFiles.RunDirectory.ControlSocketFile)));
        using var client = new LineClient(socket);
        await client.SendAsync("{\"cmd\":\"status\"}");
        using JsonDocument status = JsonDocument.Parse(await client.ReadLineAsync());
        Assert.True(status.RootElement.GetProperty("ok").GetBoolean());
        daemon.Signal(SIGTERM);
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }
}
