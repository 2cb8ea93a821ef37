using EfdDaemon.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Events;

/// <summary>Reads and validates the <c>Handlers</c> section (at start and on SIGHUP) and merges it with each handler's declaration.</summary>
internal static class HandlerSettingsReader
{
    private static readonly HandlerOptionsValidator Validator = new();

    /// <summary>Binds <c>Handlers:*</c>; returns the errors, one line each, and no settings when there are any.</summary>
    public static IReadOnlyDictionary<string, HandlerOptions>? Read(IConfiguration configuration, out IReadOnlyList<string> errors)
    {
        var result = new Dictionary<string, HandlerOptions>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (IConfigurationSection section in configuration.GetSection(HandlerOptions.SectionName).GetChildren())
        {
            string where = $"{HandlerOptions.SectionName}:{section.Key}";
            var options = new HandlerOptions();
            try
            {
                section.Bind(options);
            }
            catch (InvalidOperationException ex)
            {
                problems.Add($"{where}: {ex.Message}");
                continue;
            }

            ValidateOptionsResult validation = Validator.Validate(section.Key, options);
            if (validation.Failed)
            {
                problems.AddRange(validation.Failures.Select(f => $"{where}: {f}"));
            }

            foreach (string kind in options.Kinds ?? [])
            {
                if (!EventKindNames.TryParse(kind, out _))
                {
                    problems.Add($"{where}:Kinds: '{kind}' is not an event kind (a name such as TRIGGER, USER_0x1234, or a number 0x1000-0xFFFF).");
                }
            }

            result[section.Key] = options;
        }

        errors = problems;
        return problems.Count == 0 ? result : null;
    }

    /// <summary>The effective settings of <paramref name="handler"/>: configuration when present, else its own declaration and the defaults.</summary>
    public static HandlerSettings Resolve(IEventHandler handler, IReadOnlyDictionary<string, HandlerOptions>? settings)
    {
        if (settings is null || !settings.TryGetValue(handler.Name, out HandlerOptions? o))
        {
            return HandlerSettings.Default(handler);
        }

        KindFilter kinds = o.Kinds is { } names
            ? KindFilter.From(names.Select(n => EventKindNames.TryParse(n, out EventKind k) ? k : throw new ArgumentException($"'{n}' is not an event kind.", nameof(settings))).ToArray())
            : KindFilter.From(handler.Kinds);
        return new HandlerSettings(o.Enabled, kinds, o.QueueCapacity, o.Timeout, o.FullQueuePolicy);
    }
}
