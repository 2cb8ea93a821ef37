using System.Diagnostics;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Tmds.Linux;

namespace EfdCtl.Tests.Fakes;

/// <summary>
/// The real efd-daemon (built with these tests) as a child process: module off, its own run and
/// config directories, journal off. Ready when it sends READY=1 on a test NOTIFY_SOCKET, as systemd
/// would see it. Microsoft.Extensions.Hosting.Systemd only talks to NOTIFY_SOCKET when the parent
/// process is named systemd, so the daemon's parent is /bin/sh started through a symlink named
/// <c>systemd</c> (its comm is then "systemd").
/// </summary>
internal sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process, TempDirectory directory)
    {
        _process = process;
        Directory = directory;
    }

    /// <summary>The daemon's efd-daemon.dll, from the test assembly's metadata (see the test project file); null when not wired.</summary>
    public static string? Dll => typeof(DaemonProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "EfdDaemonDll")?.Value is { Length: > 0 } path && File.Exists(path) ? path : null;

    public TempDirectory Directory { get; }

    public string RunDirectory => Directory.Combine("run");

    /// <summary>The daemon's pid (the run file it wrote before READY=1; the direct child is the wrapper shell).</summary>
    public int Pid { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<DaemonProcess> StartAsync(TempDirectory directory)
    {
        string dll = Dll ?? throw new InvalidOperationException("efd-daemon.dll was not built with the tests");
        string notifyPath = directory.Combine("notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        System.IO.Directory.CreateDirectory(directory.Combine("etc"));

        string parent = directory.Combine("systemd");
        File.CreateSymbolicLink(parent, "/bin/sh");
        var start = new ProcessStartInfo(parent)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            "-c", "\"$0\" \"$@\"; exit $?", EfdctlProcess.Dotnet, dll,
            "--config-dir", directory.Combine("etc"),
            $"--Daemon:RunDirectory={directory.Combine("run")}",
            $"--Daemon:PluginDirectories:0={directory.Combine("plugins")}",
            $"--Daemon:PluginDirectories:1={directory.Combine("plugins")}",
            "--Module:Enabled=false",
            "--Logging:Journal=Off",
        })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["NOTIFY_SOCKET"] = notifyPath;
        start.Environment.Remove("WATCHDOG_USEC");
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("EFD_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        Process process = Process.Start(start)!;
        var daemon = new DaemonProcess(process, directory);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        Task ready = WaitForReadyAsync(notify);
        Task exited = process.WaitForExitAsync();
        Task first;
        try
        {
            first = await Task.WhenAny(ready, exited).WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            await daemon.DisposeAsync();
            throw new InvalidOperationException($"efd-daemon sent no READY=1 within 90 s:\n{daemon.Output}");
        }

        if (first == exited)
        {
            await process.WaitForExitAsync(); // drains the output
            string why = $"efd-daemon exited with status {process.ExitCode} before READY=1:\n{daemon.Output}";
            await daemon.DisposeAsync();
            throw new InvalidOperationException(why);
        }

        daemon.Pid = int.Parse(File.ReadAllText(Path.Combine(daemon.RunDirectory, "pid")), System.Globalization.CultureInfo.InvariantCulture);
        return daemon;
    }

    /// <summary>SIGTERM, as systemctl stop sends; returns the exit status.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            Assert.Equal(0, LibC.kill(Pid, LibC.SIGTERM));
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task WaitForReadyAsync(Socket notify)
    {
        var buffer = new byte[4096];
        while (true)
        {
            int n = await notify.ReceiveAsync(buffer, SocketFlags.None);
            if (Encoding.UTF8.GetString(buffer, 0, n).Split('\n').Contains("READY=1"))
            {
                return;
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Append(line).Append('\n');
            }
        }
    }
}
