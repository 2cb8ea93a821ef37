namespace EfdDaemon.Logging;

/// <summary>Cuts UTF-8 text to a byte budget without splitting a character.</summary>
internal static class Utf8Cut
{
    /// <summary>The length of the longest prefix of <paramref name="utf8"/> of at most <paramref name="maxBytes"/> bytes that ends on a character boundary.</summary>
    public static int PrefixLength(ReadOnlySpan<byte> utf8, int maxBytes)
    {
        if (utf8.Length <= maxBytes)
        {
            return utf8.Length;
        }

        int cut = Math.Max(maxBytes, 0);

        // utf8[cut] is the first byte left out: while it continues a character (10xxxxxx), that character goes too.
        while (cut > 0 && (utf8[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return cut;
    }
}
