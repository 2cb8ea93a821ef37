using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace EfdDaemon.Tests.Support;

/// <summary>
/// The built daemon (<c>dotnet efd-daemon.dll</c>) as a child process with a temp configuration and
/// run directory. Optionally "under systemd": a test NOTIFY_SOCKET, and a parent process named
/// <c>systemd</c> (a copy of <c>/bin/sh</c> under that name, which starts dotnet and waits), because
/// Microsoft.Extensions.Hosting.Systemd 10.0 activates only for pid 1 or a child of a process whose
/// <c>/proc/PPID/comm</c> is <c>systemd</c>.
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _outputWaiters = [];
    private Socket? _notify;

    public DaemonProcess(bool underSystemd, IReadOnlyDictionary<string, string>? environment = null, params string[] extraArgs)
    {
        Directory.CreateDirectory(_dir.Combine("etc"));
        string dll = Path.Combine(AppContext.BaseDirectory, "efd-daemon.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project must reference src/EfdDaemon.");
        string launcher = "/bin/sh";
        if (underSystemd)
        {
            launcher = _dir.Combine("systemd");
            File.Copy("/bin/sh", launcher);
        }

        var start = new ProcessStartInfo(launcher) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(underSystemd ? "\"$0\" \"$@\"" : "exec \"$0\" \"$@\"");
        foreach (string a in (string[])["dotnet", dll, "--config-dir", _dir.Combine("etc"), $"--Daemon:RunDirectory={RunDirectory}",
            "--Module:Enabled=false", "--Logging:Journal=Off", "--Daemon:PluginDirectories:0=" + _dir.Combine("no-plugins"), .. extraArgs])
        {
            start.ArgumentList.Add(a);
        }

        // The caller's own service context must not leak into the child (journal, notify, watchdog).
        start.Environment.Remove("INVOCATION_ID");
        start.Environment.Remove("JOURNAL_STREAM");
        start.Environment.Remove("NOTIFY_SOCKET");
        start.Environment.Remove("WATCHDOG_USEC");
        if (underSystemd)
        {
            _notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            _notify.Bind(new UnixDomainSocketEndPoint(_dir.Combine("notify.sock")));
            start.Environment["NOTIFY_SOCKET"] = _dir.Combine("notify.sock");
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

    /// <summary>Gets the launcher (under systemd) or the daemon itself.</summary>
    public Process Process { get; }

    /// <summary>Gets the daemon's pid: the launcher's only child under systemd, else the process itself.</summary>
    public int DaemonPid
    {
        get
        {
            if (_notify is null)
            {
                return Process.Id;
            }

            string children = File.ReadAllText($"/proc/{Process.Id}/task/{Process.Id}/children").Trim();
            Assert.False(children.Length == 0 || children.Contains(' ', StringComparison.Ordinal), $"launcher children: '{children}'");
            return int.Parse(children, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public string RunDirectory => _dir.Combine("run");

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

    /// <summary>Receives the next sd_notify datagram.</summary>
    public async Task<string> ReceiveNotifyAsync()
    {
        byte[] buffer = new byte[4096];
        int n = await _notify!.ReceiveAsync(buffer).WaitAsync(TestTimeouts.Bound);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    /// <summary>Completes when the daemon's output contains <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            _outputWaiters.Add((text, seen));
        }

        return seen.Task.WaitAsync(TestTimeouts.Bound);
    }

    public async Task<int> WaitForExitAsync()
    {
        await Process.WaitForExitAsync().WaitAsync(TestTimeouts.Bound);
        return Process.ExitCode;
    }

    public void Signal(int signal) => Assert.Equal(0, Tmds.Linux.LibC.kill(DaemonPid, signal));

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
        _notify?.Dispose();
        _dir.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
                foreach (var w in _outputWaiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
                {
                    w.Seen.TrySetResult();
                }
            }
        }
    }
}
