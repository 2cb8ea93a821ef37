using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Serilog.Events;

namespace EfdDaemon.Logging;

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
