using System.Diagnostics.CodeAnalysis;
using System.ComponentModel.DataAnnotations;
using EfdDaemon.Events;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Events;

/// <summary><c>Handlers:&lt;Name&gt;</c>: one handler's queue and filter; reloadable on SIGHUP.</summary>
internal sealed class HandlerOptions
{
    public const string SectionName = "Handlers";
    public const int MaxQueueCapacity = 1 << 20;

    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the kinds to deliver (names, <c>USER_0x1234</c> or numbers); replaces the handler's own set.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Bound from configuration.")]
    public string[]? Kinds { get; set; }

    [Range(1, MaxQueueCapacity)]
    public int QueueCapacity { get; set; } = HandlerSettings.DefaultQueueCapacity;

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = HandlerSettings.DefaultTimeout;

    public FullQueuePolicy FullQueuePolicy { get; set; } = HandlerSettings.DefaultPolicy;
}

[OptionsValidator]
internal sealed partial class HandlerOptionsValidator : IValidateOptions<HandlerOptions>;
