using Microsoft.Extensions.Logging;

namespace EfdDaemon;

/// <summary>ExecHandler lines, event ids 7xxx. <c>{Rule}</c> becomes the journal field EXEC_RULE.</summary>
internal static partial class Log
{
    [LoggerMessage(7000, LogLevel.Information, "Exec rules loaded: {RuleCount} rules, at most {MaxConcurrency} programs at once")]
    public static partial void ExecRulesLoaded(ILogger logger, int ruleCount, int maxConcurrency);

    [LoggerMessage(7001, LogLevel.Information, "Exec rules reloaded: {RuleCount} rules, at most {MaxConcurrency} programs at once")]
    public static partial void ExecRulesReloaded(ILogger logger, int ruleCount, int maxConcurrency);

    [LoggerMessage(7002, LogLevel.Error, "Exec rules not reloaded, the previous ones stay in force: {Reason}")]
    public static partial void ExecRulesRejected(ILogger logger, string reason);

    [LoggerMessage(7003, LogLevel.Debug, "Exec rule {Rule} started {Program} as pid {ChildPid} for {Kind} event {Sequence}")]
    public static partial void ExecStarted(ILogger logger, string rule, string program, int childPid, string kind, ulong sequence);

    [LoggerMessage(7004, LogLevel.Information, "Exec rule {Rule}: pid {ChildPid} exited with 0 after {ElapsedMs} ms")]
    public static partial void ExecExited(ILogger logger, string rule, int childPid, long elapsedMs);

    [LoggerMessage(7005, LogLevel.Warning, "Exec rule {Rule}: pid {ChildPid} exited with {ExitCode} after {ElapsedMs} ms")]
    public static partial void ExecFailed(ILogger logger, string rule, int childPid, int exitCode, long elapsedMs);

    [LoggerMessage(7006, LogLevel.Warning, "Exec rule {Rule}: pid {ChildPid} was killed by signal {Signal} after {ElapsedMs} ms (timed out: {TimedOut})")]
    public static partial void ExecSignaled(ILogger logger, string rule, int childPid, int signal, long elapsedMs, bool timedOut);

    [LoggerMessage(7007, LogLevel.Error, "Exec rule {Rule}: pid {ChildPid} still runs after its timeout of {Timeout}; terminating its process group")]
    public static partial void ExecTimedOut(ILogger logger, string rule, int childPid, TimeSpan timeout);

    [LoggerMessage(7008, LogLevel.Error, "Exec rule {Rule}: could not start {Program}")]
    public static partial void ExecStartFailed(ILogger logger, string rule, string program, Exception exception);

    [LoggerMessage(7009, LogLevel.Information, "{Rule}[{ChildPid}] {Stream}: {Line}")]
    public static partial void ExecOutput(ILogger logger, string rule, int childPid, string stream, string line);

    [LoggerMessage(7010, LogLevel.Warning, "Exec rule {Rule}: pid {ChildPid} wrote {Suppressed} more {Stream} lines than are logged")]
    public static partial void ExecOutputSuppressed(ILogger logger, string rule, int childPid, string stream, int suppressed);

    [LoggerMessage(7012, LogLevel.Error, "Exec rule {Rule}: lost track of pid {ChildPid}")]
    public static partial void ExecLost(ILogger logger, string rule, int childPid, Exception exception);

    [LoggerMessage(7011, LogLevel.Warning, "Exec: {Running} programs still running at stop; terminating their process groups")]
    public static partial void ExecStopping(ILogger logger, int running);
}
