using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Serilog.Events;

namespace EfdDaemon.Options;

/// <summary>Whether log entries go to the journal.</summary>
internal enum JournalMode
{
    /// <summary>The journal under systemd (<c>INVOCATION_ID</c> or <c>JOURNAL_STREAM</c> set), else the console.</summary>
    Auto,

    /// <summary>Always the journal.</summary>
    On,

    /// <summary>Always the console.</summary>
    Off,
}

/// <summary><c>Logging</c>: level and destination.</summary>
internal sealed class LoggingOptions
{
    public const string SectionName = "Logging";
    public const string DefaultJournalSocket = "/run/systemd/journal/socket";

    public LogEventLevel MinimumLevel { get; set; } = LogEventLevel.Information;

    public JournalMode Journal { get; set; } = JournalMode.Auto;

    [Required(AllowEmptyStrings = false)]
    public string JournalSocket { get; set; } = DefaultJournalSocket;
}

[OptionsValidator]
internal sealed partial class LoggingOptionsValidator : IValidateOptions<LoggingOptions>;

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
