namespace EfdDaemon.Configuration;

/// <summary>Case-insensitive optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps cost one each.</summary>
internal static class EditDistance
{
    public static int Between(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        int[,] d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>The candidate nearest to <paramref name="word"/>; ties go to the first in ordinal order; null when there are none.</summary>
    public static string? Nearest(string word, IEnumerable<string> candidates) =>
        candidates.Order(StringComparer.Ordinal).MinBy(c => Between(word, c));
}
