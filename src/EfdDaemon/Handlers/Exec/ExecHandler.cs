using System.Collections.Concurrent;
using EfdDaemon.Events;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Handlers.Exec;

/// <summary>
/// The built-in acpid-style handler: for each event, runs the program of every <c>Exec:Rules</c>
/// entry that matches it, directly (never through a shell), with the event in <c>EFD_*</c>
/// environment variables, at most <c>Exec:MaxConcurrency</c> at once over all rules.
/// </summary>
/// <remarks>
/// <see cref="HandleAsync"/> returns once the program is started, not when it ends: programs run
/// concurrently up to the limit, each bounded by its rule's timeout. When every slot is taken,
/// <see cref="HandleAsync"/> waits for one, so further events wait in this handler's queue under its
/// <c>Handlers:ExecHandler</c> policy, and that section's <c>Timeout</c> bounds the wait. The rules
/// are re-read on SIGHUP (<see cref="ExecRulesReload"/>); an invalid new set is logged and the old
/// one kept.
/// </remarks>
internal sealed class ExecHandler : IEventHandler, IAsyncDisposable, IDisposable
{
    public const string HandlerName = "ExecHandler";

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<ExecRun, Task> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile State _state;
    private int _disposed;

    public ExecHandler(ExecRuleSet rules, ILogger<ExecHandler> logger, TimeProvider time)
    {
        _logger = logger;
        _time = time;
        _state = new State(rules);
        Log.ExecRulesLoaded(logger, rules.Rules.Count, rules.MaxConcurrency);
    }

    public string Name => HandlerName;

    /// <summary>Gets the kinds of the current rules; none when there are no rules, so an unused handler costs nothing.</summary>
    public IReadOnlyCollection<EventKind> Kinds => _state.Rules.Kinds;

    /// <summary>Gets the names of registered kinds the current rules want.</summary>
    public IReadOnlyCollection<string> RegisteredKinds => _state.Rules.RegisteredKinds;

    /// <summary>Gets the rules in force.</summary>
    public ExecRuleSet Rules => _state.Rules;

    /// <summary>Gets the number of programs running now.</summary>
    public int Running => _running.Count;

    /// <summary>Raised with each run once it is over and logged (tests, metrics).</summary>
    public event Action<ExecResult>? RunCompleted;

    /// <summary>Replaces the rules (validated by <see cref="ExecRuleSet.Read"/>); the next event sees the new ones.</summary>
    /// <remarks>Programs already running keep their slot under the old limit until they end.</remarks>
    public void Apply(ExecRuleSet rules)
    {
        _state = new State(rules);
        Log.ExecRulesReloaded(_logger, rules.Rules.Count, rules.MaxConcurrency);
    }

    public async ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        State state = _state;
        string? acpidEvent = AcpidEvent.Format(kernelEvent);
        foreach (ExecRule rule in state.Rules.Rules)
        {
            if (!rule.Matches(kernelEvent, acpidEvent))
            {
                continue;
            }

            string[] environment = ExecEnvironment.Build(kernelEvent, rule.Name, acpidEvent);
            await state.Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            ExecRun run;
            try
            {
                run = ExecRun.Start(rule, rule.CommandLineFor(acpidEvent), environment, _logger, _time);
            }
            catch (IOException ex)
            {
                state.Slots.Release();
                Log.ExecStartFailed(_logger, rule.Name, rule.Program, ex);
                continue;
            }

            Log.ExecStarted(_logger, rule.Name, rule.Program, run.Pid, EventKindNames.GetName(kernelEvent.Kind), kernelEvent.Sequence);
            _running[run] = CompleteAsync(run, state.Slots);
        }
    }

    /// <summary>Terminates the programs still running (their groups: SIGTERM, then SIGKILL) and waits for them.</summary>
    /// <remarks>Idempotent: the container tracks this instance under two registrations.</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_running.IsEmpty)
        {
            Log.ExecStopping(_logger, _running.Count);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values).ConfigureAwait(false);
        _stopping.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task CompleteAsync(ExecRun run, SemaphoreSlim slots)
    {
        // Return to HandleAsync first: the run's bookkeeping must not hold up the next event.
        await Task.Yield();
        try
        {
            ExecResult result = await run.RunAsync(_stopping.Token).ConfigureAwait(false);
            RunCompleted?.Invoke(result);
        }
        catch (IOException ex)
        {
            // waitpid or kill failed (ECHILD: something else reaped it): nothing left to wait for.
            Log.ExecLost(_logger, run.Rule, run.Pid, ex);
        }
        finally
        {
            slots.Release();
            _running.TryRemove(run, out _);
        }
    }

    private sealed class State(ExecRuleSet rules)
    {
        public ExecRuleSet Rules { get; } = rules;

        public SemaphoreSlim Slots { get; } = new(rules.MaxConcurrency, rules.MaxConcurrency);
    }
}
