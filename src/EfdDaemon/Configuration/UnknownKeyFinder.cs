using System.Globalization;

namespace EfdDaemon.Configuration;

/// <summary>Walks each configured key down the <see cref="KnownKeyNode"/> tree and reports the first segment that is not there, once per origin and key.</summary>
internal sealed class UnknownKeyFinder(KnownKeyNode root)
{
    /// <summary>The unknown keys, origin by origin in the order given, in key order within each.</summary>
    public IReadOnlyList<UnknownKey> Find(IEnumerable<ConfiguredKey> keys)
    {
        var found = new List<UnknownKey>();
        var seen = new HashSet<(string, string)>();
        foreach (ConfiguredKey key in keys)
        {
            if (Check(key) is { } unknown && seen.Add((unknown.Origin, unknown.Key.ToUpperInvariant())))
            {
                found.Add(unknown);
            }
        }

        return [.. found.GroupBy(k => k.Origin, StringComparer.Ordinal).SelectMany(g => g.OrderBy(k => k.Key, StringComparer.OrdinalIgnoreCase))];
    }

    /// <summary>The unknown part of <paramref name="key"/>, or null when the daemon (or a plugin) reads it.</summary>
    public UnknownKey? Check(ConfiguredKey key)
    {
        string[] segments = key.Key.Split(':');
        KnownKeyNode node = root;
        var canonical = new List<string>(segments.Length);
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            string written = string.Join(':', segments[..(i + 1)]);
            if (node.Element is { } element)
            {
                if (!int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return new UnknownKey(key.Origin, written, Join(canonical, "0"));
                }

                canonical.Add(segment);
                node = element;
                continue;
            }

            if (node.Children.ContainsKey(segment))
            {
                string name = node.Children.Keys.First(k => string.Equals(k, segment, StringComparison.OrdinalIgnoreCase));
                canonical.Add(name);
                node = node.Children[name];
                continue;
            }

            if (node.AcceptsOthers)
            {
                return null;
            }

            if (node.IsLeaf)
            {
                // Something below a value: the value's key is the nearest.
                return new UnknownKey(key.Origin, written, string.Join(':', canonical));
            }

            string? nearest = EditDistance.Nearest(segment, node.Children.Keys);
            return new UnknownKey(
                key.Origin,
                written,
                nearest is null ? null : Join(canonical, nearest),
                node.Noun,
                node.Noun is null ? null : [.. node.Children.Keys.Order(StringComparer.Ordinal)]);
        }

        return null;
    }

    private static string Join(List<string> parents, string last) => string.Join(':', [.. parents, last]);
}

/// <summary>A key as a configuration source holds it, and the source: a file path, <c>environment</c> or <c>command line</c>.</summary>
internal readonly record struct ConfiguredKey(string Origin, string Key);
