using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using EfdDaemon.Handlers.Exec.Interop;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Handlers.Exec;

/// <summary>
/// One run of a rule's program, from spawn to reaping: its output logged line by line under the
/// rule's name, its exit logged, and its process group killed when it outlives the rule's timeout.
/// </summary>
internal sealed class ExecRun
{
    /// <summary>How long a timed-out program gets between SIGTERM and SIGKILL to its group.</summary>
    public static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long output is still read after the program exited (a background grandchild may hold it open).</summary>
    public static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);

    /// <summary>Longer lines are logged in pieces of this many bytes.</summary>
    public const int MaxLineBytes = 4096;

    /// <summary>Lines logged per run and stream; the rest are counted.</summary>
    public const int MaxLinesPerStream = 1000;

    private const int SIGTERM = 15;
    private const int SIGKILL = 9;

    private readonly ExecRule _rule;
    private readonly ChildProcess _child;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _started;

    private ExecRun(ExecRule rule, ChildProcess child, ILogger logger, TimeProvider time)
    {
        _rule = rule;
        _child = child;
        _logger = logger;
        _time = time;
        _started = time.GetTimestamp();
    }

    public int Pid => _child.Pid;

    public string Rule => _rule.Name;

    /// <summary>Spawns the rule's program; the returned run completes through <see cref="RunAsync"/>.</summary>
    /// <exception cref="Interop.ErrnoException">The program could not be started.</exception>
    public static ExecRun Start(ExecRule rule, IReadOnlyList<string> commandLine, string[] environment, ILogger logger, TimeProvider time)
    {
        ChildProcess child = ChildProcess.Start(rule.Executable, commandLine, environment);
        return new ExecRun(rule, child, logger, time);
    }

    /// <summary>Reads the output, enforces the timeout, reaps the program and logs how it ended.</summary>
    /// <param name="stopping">Cancelled when the daemon stops: the group is then terminated like on a timeout.</param>
    public async Task<ExecResult> RunAsync(CancellationToken stopping)
    {
        using (_child)
        {
            using var readers = new CancellationTokenSource();
            Task stdout = PumpAsync(_child.StandardOutput, "stdout", readers.Token);
            Task stderr = PumpAsync(_child.StandardError, "stderr", readers.Token);
            Task<ExitStatus> exit = Task.Factory.StartNew(
                _child.WaitForExit, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            bool timedOut = false;
            try
            {
                await exit.WaitAsync(_rule.Timeout, _time, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                timedOut = ex is TimeoutException;
                if (timedOut)
                {
                    Log.ExecTimedOut(_logger, _rule.Name, _child.Pid, _rule.Timeout);
                }

                _child.SignalGroup(SIGTERM);
                try
                {
                    await exit.WaitAsync(KillGrace, _time, CancellationToken.None).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    _child.SignalGroup(SIGKILL);
                }
            }

            ExitStatus status = await exit.ConfigureAwait(false);
            if (timedOut || stopping.IsCancellationRequested)
            {
                // Whatever the program forked dies with it.
                _child.SignalGroup(SIGKILL);
            }

            try
            {
                await Task.WhenAll(stdout, stderr).WaitAsync(OutputGrace, _time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await readers.CancelAsync().ConfigureAwait(false);
            }

            TimeSpan elapsed = _time.GetElapsedTime(_started);
            LogExit(status, timedOut, elapsed);
            return new ExecResult(_rule.Name, _child.Pid, status, timedOut, elapsed);
        }
    }

    private void LogExit(ExitStatus status, bool timedOut, TimeSpan elapsed)
    {
        long ms = (long)elapsed.TotalMilliseconds;
        if (status.Signaled)
        {
            Log.ExecSignaled(_logger, _rule.Name, _child.Pid, status.Signal, ms, timedOut);
        }
        else if (status.ExitCode != 0)
        {
            Log.ExecFailed(_logger, _rule.Name, _child.Pid, status.ExitCode, ms);
        }
        else
        {
            Log.ExecExited(_logger, _rule.Name, _child.Pid, ms);
        }
    }

    private async Task PumpAsync(Socket socket, string stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxLineBytes];
        int filled = 0;
        int lines = 0;
        int suppressed = 0;
        void Emit(ReadOnlySpan<byte> line)
        {
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (lines++ < MaxLinesPerStream)
            {
                Log.ExecOutput(_logger, _rule.Name, _child.Pid, stream, Encoding.UTF8.GetString(line));
            }
            else
            {
                suppressed++;
            }
        }

        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                filled += n;
                int start = 0;
                int newline;
                while ((newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start)) >= 0)
                {
                    Emit(buffer.AsSpan(start, newline - start));
                    start = newline + 1;
                }

                if (start == 0 && filled == buffer.Length)
                {
                    Emit(buffer); // A line longer than the buffer: log it in pieces.
                    filled = 0;
                }
                else if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                    filled -= start;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Abandoned after the program exited, or the daemon is stopping.
        }

        if (filled > 0)
        {
            Emit(buffer.AsSpan(0, filled));
        }

        if (suppressed > 0)
        {
            Log.ExecOutputSuppressed(_logger, _rule.Name, _child.Pid, stream, suppressed);
        }
    }

    public override string ToString() => $"{_rule.Name} pid {_child.Pid}";
}

/// <summary>How one run ended.</summary>
[DebuggerDisplay("{Rule} pid {Pid}: {Status}")]
internal sealed record ExecResult(string Rule, int Pid, ExitStatus Status, bool TimedOut, TimeSpan Elapsed);
