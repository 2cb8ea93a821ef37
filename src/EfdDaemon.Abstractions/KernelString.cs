using System.Text;

namespace EfdDaemon;

/// <summary>A NUL-padded text field of a payload, read in place: comparing it allocates nothing; <see cref="ToString"/> does.</summary>
public readonly ref struct KernelString
{
    /// <summary>Initializes a view of <paramref name="field"/>: the text ends at the first NUL or at the end.</summary>
    /// <param name="field">The field's bytes.</param>
    public KernelString(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        Utf8 = end < 0 ? field : field[..end];
    }

    /// <summary>Gets the text's UTF-8 bytes, without the padding.</summary>
    public ReadOnlySpan<byte> Utf8 { get; }

    /// <summary>Gets whether the text is empty.</summary>
    public bool IsEmpty => Utf8.IsEmpty;

    /// <summary>Compares the text with <paramref name="text"/>, ordinally, without allocating.</summary>
    /// <param name="text">The text to compare with.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public bool Equals(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<byte> b = Utf8;
        if (System.Text.Ascii.IsValid(b))
        {
            return System.Text.Ascii.Equals(b, text);
        }

        Span<char> chars = stackalloc char[KernelEvent.MaxPayloadLength];
        return Encoding.UTF8.TryGetChars(b, chars, out int n) && chars[..n].SequenceEqual(text);
    }

    /// <summary>Writes the text into <paramref name="destination"/> (invalid UTF-8 becomes U+FFFD).</summary>
    /// <param name="destination">Where to write; <see cref="KernelEvent.MaxPayloadLength"/> characters always suffice.</param>
    /// <param name="written">How many characters were written.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too short.</returns>
    public bool TryCopyTo(Span<char> destination, out int written) => Encoding.UTF8.TryGetChars(Utf8, destination, out written);

    /// <summary>Returns the text as a new string.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Encoding.UTF8.GetString(Utf8);
}
