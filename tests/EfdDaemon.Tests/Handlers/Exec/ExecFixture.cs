using EfdDaemon.Handlers.Exec;

namespace EfdDaemon.Tests.Handlers.Exec;

/// <summary>An <see cref="ExecHandler"/> over given rules, a recording logger, and a way to await runs.</summary>
internal sealed class ExecFixture : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<ExecResult> _results = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public ExecFixture(int maxConcurrency, params ExecRuleOptions[] rules)
    {
        var options = new ExecOptions { MaxConcurrency = maxConcurrency, Rules = [.. rules] };
        ExecRuleSet set = ExecRuleSet.From(options, out IReadOnlyList<string> errors)
            ?? throw new InvalidOperationException(string.Join("; ", errors));
        Handler = new ExecHandler(set, Logs.CreateLogger<ExecHandler>(), TimeProvider.System);
        Handler.RunCompleted += OnCompleted;
    }

    public RecordingLoggerProvider Logs { get; } = new();

    public ExecHandler Handler { get; }

    public IReadOnlyList<ExecResult> Results
    {
        get
        {
            lock (_lock)
            {
                return [.. _results];
            }
        }
    }

    /// <summary>Completes when <paramref name="count"/> runs have ended (and been logged).</summary>
    public async Task<IReadOnlyList<ExecResult>> WaitForRunsAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_results.Count >= count)
            {
                return [.. _results];
            }

            _waiters.Add((count, done));
        }

        await done.Task.WaitAsync(TestTimeouts.Bound);
        return Results;
    }

    public ValueTask DisposeAsync() => Handler.DisposeAsync();

    private void OnCompleted(ExecResult result)
    {
        lock (_lock)
        {
            _results.Add(result);
            foreach (var w in _waiters.Where(w => _results.Count >= w.Count).ToList())
            {
                w.Done.TrySetResult();
                _waiters.Remove(w);
            }
        }
    }
}

/// <summary>A shell script written for a test: the rule's program, trusted and quoting what it uses.</summary>
internal static class Scripts
{
    /// <summary>
    /// Writes into its first argument: <c>env</c> (NUL-separated), <c>argv</c> (NUL-separated, <c>$0</c> first),
    /// <c>stdin</c> (where fd 0 points), <c>stat</c> (pid, process group, session), <c>uid</c>, <c>gid</c>;
    /// then one line to stdout and one to stderr.
    /// </summary>
    public static string WriteDumper(TempDirectory dir)
    {
        string path = dir.Combine("dump.sh");
        File.WriteAllText(path, """
            #!/bin/sh
            out="$1"
            /usr/bin/env -0 > "$out/env"
            printf '%s\0' "$0" "$@" > "$out/argv"
            /usr/bin/readlink /proc/self/fd/0 > "$out/stdin"
            read -r pid comm state ppid pgrp session rest < /proc/$$/stat
            echo "$pid $pgrp $session" > "$out/stat"
            /usr/bin/id -u > "$out/uid"
            /usr/bin/id -g > "$out/gid"
            echo "hello on stdout"
            echo "hello on stderr" >&2
            """.Replace("\r", "", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    public static IReadOnlyList<string> ReadNulSeparated(string path) =>
        File.ReadAllText(path).Split('\0', StringSplitOptions.RemoveEmptyEntries);
}
