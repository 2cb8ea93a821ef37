using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Control;

/// <summary>
/// The control socket's bounds, read from the <c>Daemon</c> section beside <see cref="DaemonOptions"/>
/// (<c>Daemon:MaxControlConnections</c>, <c>Daemon:ControlIdleTimeout</c>; src/EfdDaemon/INTERFACES.md, Bounds).
/// </summary>
internal sealed class ControlSocketOptions
{
    public const string SectionName = DaemonOptions.SectionName;

    /// <summary>Open connections at once; <c>efdctl</c> uses one per command, so 64 is never reached in normal use.</summary>
    public const int DefaultMaxControlConnections = 64;
    public const int MaxMaxControlConnections = 4096;

    /// <summary>The longest request line, in bytes without its newline; a longer one is answered with an error and the connection closed.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>How long a connection that is not listening may stay silent (30 s: far above any efdctl round trip).</summary>
    public static readonly TimeSpan DefaultControlIdleTimeout = TimeSpan.FromSeconds(30);

    [Range(1, MaxMaxControlConnections)]
    public int MaxControlConnections { get; set; } = DefaultMaxControlConnections;

    /// <summary>Gets or sets how long a connection may send nothing (and not read its replies) before it is closed; listeners are exempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ControlIdleTimeout { get; set; } = DefaultControlIdleTimeout;
}

[OptionsValidator]
internal sealed partial class ControlSocketOptionsValidator : IValidateOptions<ControlSocketOptions>;
