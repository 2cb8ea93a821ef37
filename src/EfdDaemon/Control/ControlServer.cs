using System.Net.Sockets;
using EfdDaemon.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Control;

/// <summary>
/// <c>&lt;RunDirectory&gt;/control.sock</c>: AF_UNIX stream, mode 0600, newline-delimited JSON
/// (<c>status</c>, <c>listen</c>; src/EfdDaemon/INTERFACES.md). Also the dispatcher's tap that feeds listen clients.
/// </summary>
internal sealed class ControlServer(
    IOptions<DaemonOptions> options,
    IOptions<ControlSocketOptions> bounds,
    EventDispatcher dispatcher,
    StatusReport status,
    DeliveryCounters counters,
    TimeProvider time,
    ILogger<ControlServer> logger) : IHostedService, IEventSink, IDisposable
{
    /// <summary>Gets the counters listeners' skips are added to (hop listener).</summary>
    public DeliveryCounters Counters => counters;

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private ListenClient[] _listeners = [];
    private Socket? _listener;
    private Task? _acceptLoop;
    private int _open;

    public string SocketPath => Path.Combine(options.Value.RunDirectory, RunFiles.RunDirectory.ControlSocketFile);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        string path = SocketPath;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // A stale socket from a daemon that did not stop cleanly.
            File.Delete(path);
            socket.Bind(new UnixDomainSocketEndPoint(path));

            // Before listen(): nobody can connect while the mode is still the umask's.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // A burst of up to the cap waits in the backlog for its answer (a session or the refusal
            // line) instead of failing connect() with EAGAIN; the kernel caps it at somaxconn.
            socket.Listen(Math.Max(16, bounds.Value.MaxControlConnections));
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
        {
            socket.Dispose();
            throw new StartupException($"Cannot create the control socket {path}: {ex.Message}", ex);
        }

        _listener = socket;
        dispatcher.SetTap(this);
        _acceptLoop = AcceptLoopAsync(socket);
        Log.ControlListening(logger, path);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        dispatcher.SetTap(null);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        foreach (ListenClient client in Volatile.Read(ref _listeners))
        {
            client.Complete();
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        // Only the socket this server bound: after a start that failed before it (a run directory
        // that cannot be made), there is none, and its directory may not exist.
        if (_listener is not null)
        {
            try
            {
                File.Delete(SocketPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The run directory went away meanwhile: nothing left to clean.
            }
        }
    }

    /// <summary>Feeds every listen client; runs on the reader thread and never blocks.</summary>
    public void Publish(in EventRecord record)
    {
        foreach (ListenClient client in Volatile.Read(ref _listeners))
        {
            client.Offer(in record);
        }
    }

    public void EndOfBatch()
    {
        // Listen clients are woken by their channels as each event is written.
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _listener?.Dispose();
    }

    internal void AddListener(ListenClient client)
    {
        lock (_lock)
        {
            _listeners = [.. _listeners, client];
        }
    }

    internal void RemoveListener(ListenClient client)
    {
        lock (_lock)
        {
            _listeners = [.. _listeners.Where(c => c != client)];
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        var sessions = new List<Task>();
        ControlSocketOptions limits = bounds.Value;
        var admission = new ConnectionAdmission(limits.MaxControlConnections);
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }

            sessions.RemoveAll(t => t.IsCompleted);
            if (admission.Admit(Volatile.Read(ref _open)))
            {
                Interlocked.Increment(ref _open);
                sessions.Add(RunSessionAsync(client, limits));
            }
            else
            {
                Refuse(client, admission);
            }
        }

        await Task.WhenAll(sessions).ConfigureAwait(false);
    }

    private async Task RunSessionAsync(Socket client, ControlSocketOptions limits)
    {
        try
        {
            await new ControlSession(client, this, status, limits, time, logger).RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            Log.ControlConnectionClosed(logger, Interlocked.Decrement(ref _open));
        }
    }

    /// <summary>One error line and a close; the first refusal of a burst is logged.</summary>
    private void Refuse(Socket client, ConnectionAdmission admission)
    {
        if (admission.StartsBurst)
        {
            Log.ControlConnectionsAtCap(logger, admission.MaxConnections);
        }

        using (client)
        {
            ControlSession.TrySendNow(client, admission.RefusalLine);
        }
    }
}
