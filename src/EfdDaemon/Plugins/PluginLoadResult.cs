namespace EfdDaemon.Plugins;

/// <summary>What became of one plugin at start.</summary>
internal enum PluginState
{
    /// <summary>Its entry point ran and its services are registered.</summary>
    Loaded,

    /// <summary>Turned off in configuration (<c>Plugins:&lt;Name&gt;:Enabled=false</c>), or overridden by a plugin of the same name in a later directory.</summary>
    Disabled,

    /// <summary>Not loaded because a check failed before any of its code ran: ownership, permissions, API version.</summary>
    Refused,

    /// <summary>Its code was loaded but could not be used: a load error, no entry point, or an exception in registration.</summary>
    Failed,
}

/// <summary>The outcome for one plugin folder, as <c>efdctl status</c> shows it.</summary>
/// <param name="Name">The plugin's name: its folder and <c>&lt;Name&gt;.dll</c>.</param>
/// <param name="Path">The plugin's folder.</param>
/// <param name="State">What became of it.</param>
/// <param name="Reason">Why it is not loaded (one line), or <see langword="null"/>.</param>
/// <param name="Exception">The exception behind a <see cref="PluginState.Failed"/> state, for the log.</param>
internal sealed record PluginLoadResult(string Name, string Path, PluginState State, string? Reason, Exception? Exception = null);
