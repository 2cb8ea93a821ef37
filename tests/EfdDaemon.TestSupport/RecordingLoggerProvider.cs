using Microsoft.Extensions.Logging;

namespace EfdDaemon.TestSupport;

/// <summary>Keeps every log entry with its structured properties; lets a test wait for one.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly List<LogEntry> _entries = [];
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Done)> _waiters = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public ILogger<T> CreateLogger<T>() => new Logger<T>(new Factory(this));

    public Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match)
    {
        var done = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            LogEntry? seen = _entries.FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(TestTimeouts.Bound);
    }

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        lock (_lock)
        {
            _entries.Add(entry);
            foreach (var w in _waiters.Where(w => w.Match(entry)).ToList())
            {
                w.Done.TrySetResult(entry);
                _waiters.Remove(w);
            }
        }
    }

    private sealed class Logger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    properties[key] = value;
                }
            }

            provider.Add(new LogEntry(category, logLevel, eventId.Id, formatter(state, exception), properties, exception));
        }
    }

    private sealed class Factory(RecordingLoggerProvider provider) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}

public sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception)
{
    public string? Property(string name) => Properties.TryGetValue(name, out object? v) ? v?.ToString() : null;
}
