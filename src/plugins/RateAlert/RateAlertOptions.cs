using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace EfdDaemon.Plugins.RateAlert;

/// <summary><c>Plugins:RateAlert</c>: alert when more than <see cref="Threshold"/> events of one kind arrive within <see cref="Window"/>.</summary>
public sealed class RateAlertOptions
{
    public const int DefaultThreshold = 100;

    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    /// <summary>Gets the length of the sliding window.</summary>
    public TimeSpan Window { get; init; } = DefaultWindow;

    /// <summary>Gets the number of events of one kind within <see cref="Window"/> above which a warning is logged.</summary>
    public int Threshold { get; init; } = DefaultThreshold;

    /// <summary>Gets the kinds watched, or <see langword="null"/> for every kind.</summary>
    public IReadOnlyCollection<EventKind>? Kinds { get; init; }

    /// <summary>Reads the plugin's section; throws with the key's name on a bad value, which the daemon reports as the plugin's failure.</summary>
    /// <exception cref="FormatException">A value cannot be read or is out of range.</exception>
    public static RateAlertOptions Read(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        TimeSpan window = section["Window"] is { } w ? TimeSpan.Parse(w, CultureInfo.InvariantCulture) : DefaultWindow;
        int threshold = section["Threshold"] is { } t ? int.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture) : DefaultThreshold;
        if (window <= TimeSpan.Zero)
        {
            throw new FormatException($"Plugins:RateAlert:Window must be positive, not {window}.");
        }

        if (threshold < 1)
        {
            throw new FormatException($"Plugins:RateAlert:Threshold must be at least 1, not {threshold}.");
        }

        List<EventKind>? kinds = null;
        foreach (IConfigurationSection kind in section.GetSection("Kinds").GetChildren())
        {
            kinds ??= [];
            kinds.Add(EventKindNames.TryParse(kind.Value, out EventKind k)
                ? k
                : throw new FormatException($"Plugins:RateAlert:Kinds: '{kind.Value}' is not an event kind."));
        }

        return new RateAlertOptions { Window = window, Threshold = threshold, Kinds = kinds };
    }
}
