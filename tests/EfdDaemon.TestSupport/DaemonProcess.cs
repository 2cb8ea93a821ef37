using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace EfdDaemon.TestSupport;

/// <summary>
/// The built daemon (<c>dotnet efd-daemon.dll</c>) as a child process: module off, journal off, its own
/// config, run and plugin directories. Optionally "under systemd": a test NOTIFY_SOCKET, and a parent
/// process named <c>systemd</c> (<c>/bin/sh</c> started through a symlink of that name, which starts
/// dotnet and waits), because Microsoft.Extensions.Hosting.Systemd 10.0 activates only for pid 1 or a
/// child of a process whose <c>/proc/PPID/comm</c> is <c>systemd</c>.
/// </summary>
/// <remarks>
/// Two ways in: the constructor starts the daemon and returns at once (the test reads the notify
/// datagrams itself, <see cref="ReceiveNotifyAsync"/>); <see cref="StartAsync"/> starts it under systemd
/// in a directory the caller owns and returns once it has sent READY=1.
/// </remarks>
public sealed class DaemonProcess : IDisposable, IAsyncDisposable
{
    private readonly TempDirectory? _ownDirectory;
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _outputWaiters = [];
    private readonly Socket? _notify;
    private int _pid;

    /// <summary>Starts the daemon in a temp directory of its own, removed at dispose.</summary>
    public DaemonProcess(bool underSystemd, IReadOnlyDictionary<string, string>? environment = null, params string[] extraArgs)
        : this(null, underSystemd, environment, ["no-plugins"], extraArgs)
    {
    }

    private DaemonProcess(TempDirectory? directory, bool underSystemd, IReadOnlyDictionary<string, string>? environment, string[] pluginDirectories, string[] extraArgs)
    {
        _ownDirectory = directory is null ? new TempDirectory() : null;
        Directory = directory ?? _ownDirectory!;
        System.IO.Directory.CreateDirectory(Directory.Combine("etc"));
        string dll = Dll ?? throw new InvalidOperationException(Prerequisites.EfdDaemon());
        string launcher = "/bin/sh";
        if (underSystemd)
        {
            launcher = Directory.Combine("systemd");
            File.CreateSymbolicLink(launcher, "/bin/sh");
        }

        var start = new ProcessStartInfo(launcher) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        // Default signal dispositions, as systemd gives a service: a runner started under nohup
        // (SIGHUP ignored) would otherwise pass SIG_IGN on, and .NET then never sees the reload signal.
        start.ArgumentList.Add(underSystemd
            ? "/usr/bin/env --default-signal \"$0\" \"$@\"; exit $?"
            : "exec /usr/bin/env --default-signal \"$0\" \"$@\"");
        foreach (string a in (string[])[Dotnet, dll, "--config-dir", Directory.Combine("etc"), $"--Daemon:RunDirectory={RunDirectory}",
            .. pluginDirectories.Select((d, i) => $"--Daemon:PluginDirectories:{i}={Directory.Combine(d)}"),
            "--Module:Enabled=false", "--Logging:Journal=Off", .. extraArgs])
        {
            start.ArgumentList.Add(a);
        }

        // The caller's own service context must not leak into the child (journal, notify, watchdog, efdctl's variables).
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("EFD_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment.Remove("INVOCATION_ID");
        start.Environment.Remove("JOURNAL_STREAM");
        start.Environment.Remove("NOTIFY_SOCKET");
        start.Environment.Remove("WATCHDOG_USEC");
        if (underSystemd)
        {
            _notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            _notify.Bind(new UnixDomainSocketEndPoint(Directory.Combine("notify.sock")));
            start.Environment["NOTIFY_SOCKET"] = Directory.Combine("notify.sock");
        }

        foreach ((string k, string v) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        Process = Process.Start(start)!;
        Process.OutputDataReceived += (_, e) => Append(e.Data);
        Process.ErrorDataReceived += (_, e) => Append(e.Data);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    /// <summary>Gets the daemon's efd-daemon.dll (the build output of src/EfdDaemon, see this project's file), or null when it is not there.</summary>
    public static string? Dll { get; } = FindDll();

    /// <summary>Gets the dotnet host that runs the tests (DOTNET_HOST_PATH), else <c>dotnet</c> on PATH.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Gets the directory that holds <c>etc/</c>, <c>run/</c> and the notify socket.</summary>
    public TempDirectory Directory { get; }

    /// <summary>Gets the launcher (under systemd) or the daemon itself.</summary>
    public Process Process { get; }

    /// <summary>Gets the daemon's pid: the launcher's only child under systemd, else the process itself.</summary>
    public int Pid
    {
        get
        {
            if (_pid == 0)
            {
                _pid = _notify is null ? Process.Id : OnlyChild(Process.Id);
            }

            return _pid;
        }
    }

    public string RunDirectory => Directory.Combine("run");

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

    /// <summary>
    /// Starts the daemon under systemd in <paramref name="directory"/> (the caller's, not removed here) with
    /// <c>plugins/</c> there as its plugin directory, and completes once it has sent READY=1; throws, with
    /// its output, when it exits first or sends nothing within 90 s.
    /// </summary>
    public static async Task<DaemonProcess> StartAsync(TempDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var daemon = new DaemonProcess(directory, underSystemd: true, null, ["plugins", "plugins"], []);
        Task ready = daemon.WaitForReadyAsync();
        Task exited = daemon.Process.WaitForExitAsync();
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
            await daemon.Process.WaitForExitAsync(); // drains the output
            string why = $"efd-daemon exited with status {daemon.Process.ExitCode} before READY=1:\n{daemon.Output}";
            await daemon.DisposeAsync();
            throw new InvalidOperationException(why);
        }

        // The run file it wrote before READY=1 (the direct child is the wrapper shell).
        daemon._pid = int.Parse(File.ReadAllText(Path.Combine(daemon.RunDirectory, "pid")), CultureInfo.InvariantCulture);
        return daemon;
    }

    /// <summary>Receives the next sd_notify datagram.</summary>
    public async Task<string> ReceiveNotifyAsync()
    {
        byte[] buffer = new byte[4096];
        int n = await _notify!.ReceiveAsync(buffer).WaitAsync(TestTimeouts.Bound);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    /// <summary>Completes when the daemon's output contains <paramref name="text"/>; on timeout, says what it printed instead.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            _outputWaiters.Add((text, seen));
        }

        try
        {
            await seen.Task.WaitAsync(TestTimeouts.Bound);
        }
        catch (TimeoutException)
        {
            string state = Process.HasExited ? $"exited with status {Process.ExitCode}" : "still running";
            throw new TimeoutException($"no \"{text}\" from efd-daemon within {TestTimeouts.Bound.TotalSeconds} s (launcher {state}); its output:\n{Output}");
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        await Process.WaitForExitAsync().WaitAsync(TestTimeouts.Bound);
        return Process.ExitCode;
    }

    public void Signal(int signal) => Assert.Equal(0, Tmds.Linux.LibC.kill(Pid, signal));

    /// <summary>SIGTERM, as systemctl stop sends; returns the exit status.</summary>
    public async Task<int> StopAsync()
    {
        if (!Process.HasExited)
        {
            Signal(Tmds.Linux.LibC.SIGTERM);
        }

        await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return Process.ExitCode;
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
        _notify?.Dispose();
        _ownDirectory?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Dispose();
    }

    private static string? FindDll()
    {
        string? built = typeof(DaemonProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "EfdDaemonDll")?.Value;
        string beside = Path.Combine(AppContext.BaseDirectory, "efd-daemon.dll");
        return built is { Length: > 0 } && File.Exists(built) ? built : File.Exists(beside) ? beside : null;
    }

    private static int OnlyChild(int pid)
    {
        string children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Trim();
        Assert.False(children.Length == 0 || children.Contains(' ', StringComparison.Ordinal), $"launcher children: '{children}'");
        return int.Parse(children, CultureInfo.InvariantCulture);
    }

    private async Task WaitForReadyAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int n = await _notify!.ReceiveAsync(buffer, SocketFlags.None);
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
                foreach (var w in _outputWaiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
                {
                    w.Seen.TrySetResult();
                }
            }
        }
    }
}
