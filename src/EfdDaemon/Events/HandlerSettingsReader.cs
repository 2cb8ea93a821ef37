using System.Globalization;
using EfdDaemon.Kernel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Events;

/// <summary>Reads and validates the <c>Handlers</c> section (at start and on SIGHUP) and merges it with each handler's declaration.</summary>
internal static class HandlerSettingsReader
{
    private static readonly HandlerOptionsValidator Validator = new();

    /// <summary>Binds <c>Handlers:*</c>; returns the errors, one line each, and no settings when there are any.</summary>
    /// <remarks>
    /// A <c>QueueCapacity</c> above half of <c>Module:RingSize</c> is an error: the reader keeps at most
    /// half the ring delivered and uncommitted, so a longer queue could never fill and would only hide
    /// that the window, not the queue, holds the reader back.
    /// </remarks>
    public static IReadOnlyDictionary<string, HandlerOptions>? Read(IConfiguration configuration, out IReadOnlyList<string> errors)
    {
        var result = new Dictionary<string, HandlerOptions>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        int limit = QueueLimit(configuration);
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
            else if (options.QueueCapacity > limit)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{where}:QueueCapacity: {options.QueueCapacity} is more than half of Module:RingSize ({limit} of {limit * 2}); the reader never holds more than half the ring unfinished, so use at most {limit} or raise Module:RingSize."));
            }

            _ = KindFilter.Parse(options.Kinds ?? [], e => problems.Add($"{where}:Kinds: {e}."));

            result[section.Key] = options;
        }

        errors = problems;
        return problems.Count == 0 ? result : null;
    }

    /// <summary>The longest queue the configuration allows: half of <c>Module:RingSize</c> with the module on, else <see cref="HandlerOptions.MaxQueueCapacity"/>.</summary>
    public static int QueueLimit(IConfiguration configuration)
    {
        var module = new ModuleOptions();
        try
        {
            configuration.GetSection(ModuleOptions.SectionName).Bind(module);
        }
        catch (InvalidOperationException)
        {
            // Reported by the Module section's own validation.
            return HandlerOptions.MaxQueueCapacity;
        }

        return QueueLimit(module);
    }

    /// <inheritdoc cref="QueueLimit(IConfiguration)"/>
    public static int QueueLimit(ModuleOptions module) =>
        module.Enabled && module.RingSize >= 2 ? Math.Min(module.RingSize / 2, HandlerOptions.MaxQueueCapacity) : HandlerOptions.MaxQueueCapacity;

    /// <summary>The effective settings of <paramref name="handler"/>: configuration when present, else its own declaration and the defaults.</summary>
    /// <param name="handler">The handler.</param>
    /// <param name="settings">The <c>Handlers</c> section as <see cref="Read"/> returned it.</param>
    /// <param name="queueLimit">The longest queue allowed (<see cref="QueueLimit(ModuleOptions)"/>): the default capacity never exceeds it.</param>
    public static HandlerSettings Resolve(IEventHandler handler, IReadOnlyDictionary<string, HandlerOptions>? settings, int queueLimit = HandlerOptions.MaxQueueCapacity)
    {
        int defaultCapacity = Math.Min(HandlerSettings.DefaultQueueCapacity, queueLimit);
        if (settings is null || !settings.TryGetValue(handler.Name, out HandlerOptions? o))
        {
            return HandlerSettings.Default(handler) with { QueueCapacity = defaultCapacity };
        }

        KindFilter kinds = o.Kinds is { } names
            ? KindFilter.Parse(names, e => throw new ArgumentException(e, nameof(settings)))
            : KindFilter.From(handler.Kinds, handler.RegisteredKinds);
        return new HandlerSettings(o.Enabled, kinds, o.QueueCapacity ?? defaultCapacity, o.Timeout, o.FullQueuePolicy, o.MaxStall, o.InlineBudget);
    }
}
