namespace EfdDaemon.Configuration;

/// <summary>
/// A key the daemon does not read, where it was set, and the nearest key it does read.
/// <see cref="Noun"/> and <see cref="Known"/> are set when the key names a handler or plugin that does not exist.
/// </summary>
internal sealed record UnknownKey(string Origin, string Key, string? Nearest, string? Noun = null, IReadOnlyList<string>? Known = null)
{
    /// <summary>One line: <c>ORIGIN: unknown key 'Module:Netdv' (did you mean 'Module:Netdev'?)</c>.</summary>
    public override string ToString()
    {
        string mean = Nearest is null ? "" : $"did you mean '{Nearest}'?";
        if (Noun is null)
        {
            return Nearest is null ? $"{Origin}: unknown key '{Key}'" : $"{Origin}: unknown key '{Key}' ({mean})";
        }

        string known = Known is { Count: > 0 } names ? string.Join(", ", names) : "none";
        return $"{Origin}: '{Key}' matches no {Noun} (known: {known}{(Nearest is null ? "" : "; " + mean)})";
    }
}
