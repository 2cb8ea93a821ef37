namespace EfdDaemon.Plugins;

/// <summary>
/// What the plugin loader found, for the status reply's <c>plugins</c> array. The plugins code calls
/// <see cref="Add"/> once per plugin directory it considered; state is <c>Loaded</c>, <c>Disabled</c>,
/// <c>Refused</c> or <c>Failed</c>, with a one-line reason for the last three.
/// </summary>
internal sealed class PluginStatusRegistry
{
    private readonly Lock _lock = new();
    private readonly List<PluginStatus> _plugins = [];

    public void Add(string name, string path, string state, string? reason)
    {
        lock (_lock)
        {
            _plugins.Add(new PluginStatus(name, path, state, reason));
        }
    }

    public IReadOnlyList<PluginStatus> Snapshot()
    {
        lock (_lock)
        {
            return [.. _plugins];
        }
    }
}

/// <summary>One plugin's entry in the status reply.</summary>
internal sealed record PluginStatus(string Name, string Path, string State, string? Reason);
