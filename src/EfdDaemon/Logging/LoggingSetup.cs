using Serilog;
using Serilog.Events;

namespace EfdDaemon.Logging;

/// <summary>Serilog: the journal under systemd (or <c>Logging:Journal=On</c>), else the console, one line per entry.</summary>
internal static class LoggingSetup
{
    public static bool UseJournal(LoggingOptions options, Func<string, string?> environment) => options.Journal switch
    {
        JournalMode.On => true,
        JournalMode.Off => false,
        _ => !string.IsNullOrEmpty(environment("INVOCATION_ID")) || !string.IsNullOrEmpty(environment("JOURNAL_STREAM")),
    };

    public static void Configure(LoggerConfiguration configuration, LoggingOptions options, Func<string, string?> environment)
    {
        configuration
            .MinimumLevel.Is(options.MinimumLevel)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        if (UseJournal(options, environment))
        {
            configuration.WriteTo.Sink(new JournaldSink(options.JournalSocket));
        }
        else
        {
            configuration.WriteTo.Console(new SingleLineFormatter());
        }
    }
}
