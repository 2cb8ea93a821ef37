using System.Globalization;

namespace EfdDaemon.Handlers.Exec;

/// <summary>
/// One condition of <c>Match:Fields</c>: a payload field, by name, and what it must hold. An
/// integer field matches a number (<c>5</c>, <c>0x1d6b</c>), a range (<c>1..3</c>, <c>..3</c>,
/// <c>5..</c>) or a value's name (<c>UP</c>); any other field (text, address, bytes) matches a glob
/// on its text as the journal shows it. An event whose kind has no such field does not match.
/// </summary>
/// <remarks>
/// The field's type is known only from the event's format (a registered kind may register after
/// the rule is read), so both readings are prepared here and the format picks one per event.
/// </remarks>
internal sealed class FieldCondition
{
    private readonly Glob? _glob;
    private readonly Int128 _min;
    private readonly Int128 _max;
    private readonly bool _isRange;

    private FieldCondition(string field, string pattern, Glob? glob, bool isRange, Int128 min, Int128 max)
    {
        Field = field;
        Pattern = pattern;
        _glob = glob;
        _isRange = isRange;
        _min = min;
        _max = max;
    }

    public string Field { get; }

    public string Pattern { get; }

    /// <summary>Reads a condition; <see langword="null"/> and why when the field name or the pattern can be nothing.</summary>
    public static FieldCondition? TryCreate(string field, string? pattern, out string? error)
    {
        if (!EventField.IsValidName(field))
        {
            error = $"'{field}' is not a field name ([a-z0-9_]+, at most {EventField.MaxNameLength} bytes)";
            return null;
        }

        if (pattern is null)
        {
            error = $"{field}: the pattern is empty";
            return null;
        }

        bool isRange = TryParseRange(pattern.Trim(), out Int128 min, out Int128 max);
        Glob? glob = Glob.TryParse(pattern, out string? globError);
        if (!isRange && glob is null)
        {
            error = $"{field}: {globError}";
            return null;
        }

        error = null;
        return new FieldCondition(field, pattern, glob, isRange, min, max);
    }

    /// <summary>Checks the condition against a known field (a built-in kind's, at configuration time).</summary>
    /// <returns>Why it can never match, or <see langword="null"/>.</returns>
    public string? CheckAgainst(EventField field)
    {
        if (field.IsInteger && !_isRange && !field.TryParseValueName(Pattern.Trim(), out _))
        {
            string names = field.ValueNames.Count == 0 ? "" : ", or one of " + string.Join(", ", field.ValueNames.Select(v => v.Name));
            return $"{Field}: '{Pattern}' is not a number or a range N..M{names}";
        }

        return null;
    }

    public bool Matches(in KernelEvent e)
    {
        if (!e.TryGetField(Field, out FieldValue value))
        {
            return false;
        }

        EventField field = value.Field;
        if (field.IsInteger)
        {
            Int128 n = field.IsSigned ? (value.TryGetInt64(out long s) ? s : 0) : (value.TryGetUInt64(out ulong u) ? u : 0);
            if (_isRange)
            {
                return n >= _min && n <= _max;
            }

            return field.TryParseValueName(Pattern.Trim(), out long named) && named == n;
        }

        Span<char> text = stackalloc char[256];
        return _glob is not null && value.TryFormat(text, out int length) && _glob.IsMatch(text[..length]);
    }

    /// <summary><c>N</c>, <c>N..M</c>, <c>..M</c> or <c>N..</c>; each bound decimal (with a sign) or <c>0x</c> hexadecimal.</summary>
    private static bool TryParseRange(string text, out Int128 min, out Int128 max)
    {
        min = long.MinValue;
        max = ulong.MaxValue;
        int dots = text.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
        {
            bool ok = TryParseBound(text, out min);
            max = min;
            return ok;
        }

        string low = text[..dots], high = text[(dots + 2)..];
        if (low.Length == 0 && high.Length == 0)
        {
            return false;
        }

        return (low.Length == 0 || TryParseBound(low, out min)) && (high.Length == 0 || TryParseBound(high, out max)) && min <= max;
    }

    private static bool TryParseBound(string text, out Int128 value)
    {
        value = 0;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            bool hex = ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong h);
            value = h;
            return hex;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed))
        {
            value = signed;
            return true;
        }

        bool big = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u);
        value = u;
        return big;
    }
}
