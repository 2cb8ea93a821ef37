using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using EfdDaemon.Events;
using Microsoft.Extensions.Options;

namespace EfdDaemon;

/// <summary><c>Daemon</c>: where the daemon publishes itself and how its eventfd counts.</summary>
internal sealed class DaemonOptions
{
    public const string SectionName = "Daemon";
    public const string DefaultRunDirectory = RunFiles.RunDirectory.Default;
    public const EventfdMode DefaultEventfdMode = EventfdMode.Counter;

    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(5);

    [Required(AllowEmptyStrings = false)]
    public string RunDirectory { get; set; } = DefaultRunDirectory;

    public EventfdMode EventfdMode { get; set; } = DefaultEventfdMode;

    /// <summary>Gets or sets how long the handlers may take to drain their queues at stop.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = DefaultShutdownTimeout;

    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Bound from configuration.")]
    public string[] PluginDirectories { get; set; } = [InstalledLayout.PackagePluginDirectory, InstalledLayout.LocalPluginDirectory];
}

[OptionsValidator]
internal sealed partial class DaemonOptionsValidator : IValidateOptions<DaemonOptions>;
