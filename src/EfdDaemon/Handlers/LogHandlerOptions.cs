using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Handlers;

/// <summary><c>LogHandler</c>: when the built-in log handler switches to summaries.</summary>
internal sealed class LogHandlerOptions
{
    public const string SectionName = "LogHandler";
    public const int DefaultSummaryThresholdPerSecond = 50;

    /// <summary>Gets or sets how many events per second are logged one by one; above it, one summary line per kind per second.</summary>
    [Range(1, 1_000_000)]
    public int SummaryThresholdPerSecond { get; set; } = DefaultSummaryThresholdPerSecond;
}

[OptionsValidator]
internal sealed partial class LogHandlerOptionsValidator : IValidateOptions<LogHandlerOptions>;
