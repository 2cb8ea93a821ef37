using System.Diagnostics.CodeAnalysis;
using System.ComponentModel.DataAnnotations;
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

    /// <summary>Gets or sets the queue's length; unset, <see cref="HandlerSettings.DefaultQueueCapacity"/> or half the kernel ring, whichever is less.</summary>
    [Range(1, MaxQueueCapacity)]
    public int? QueueCapacity { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = HandlerSettings.DefaultTimeout;

    public FullQueuePolicy FullQueuePolicy { get; set; } = HandlerSettings.DefaultPolicy;

    /// <summary>Gets or sets how long a <see cref="FullQueuePolicy.Lossless"/> handler may hold the reader back before it is demoted to <see cref="FullQueuePolicy.DropOldest"/> until its queue is below half.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxStall { get; set; } = HandlerSettings.DefaultMaxStall;

    /// <summary>
    /// Gets or sets how long one call of an <see cref="IInlineEventHandler"/> may take on the reader
    /// thread; the first call that takes longer moves the handler to its own queue for good. Zero:
    /// never on the reader thread. Lowering it or setting 0 applies on reload; raising it from 0 at the next start.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan InlineBudget { get; set; } = HandlerSettings.DefaultInlineBudget;
}

[OptionsValidator]
internal sealed partial class HandlerOptionsValidator : IValidateOptions<HandlerOptions>;
