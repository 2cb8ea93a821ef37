using System.Globalization;

namespace EfdDaemon.Handlers.Exec;

/// <summary>
/// One condition of <c>Match:Fields</c>: a payload field, by name, and what it must hold. An
/// integer field matches a number (<c>5</c>, <c>0x1d6b</c>, <c>-3</c>), a range (<c>1..3</c>,
/// <c>..3</c>, <c>5..</c>, <c>-5..-1</c>) or a value's name (<c>UP</c>); any other field (text,
/// address, bytes) matches a glob on its text as the journal shows it, so <c>1..3</c> on a text
/// field is the literal text. An event whose kind has no such field does not match.
/// </summary>
/// <remarks>
/// The field's type is known only from the event's format (a registered kind may register after
/// the rule is read), so both readings are prepared here and the format picks one per event;
/// <see cref="Matches"/> allocates nothing.
/// </remarks>
internal sealed class FieldCondition
{
    private readonly string _trimmed;
    private readonly Glob _glob;
    private readonly bool _isRange;
    private readonly Int128 _min;
    private readonly Int128 _max;
    private readonly string? _rangeProblem;

    private FieldCondition(string field, string pattern, EventKind? onlyKind, Glob glob, string trimmed, bool isRange, Int128 min, Int128 max, string? rangeProblem)
    {
        Field = field;
        Pattern = pattern;
        OnlyKind = onlyKind;
        _glob = glob;
        _trimmed = trimmed;
        _isRange = isRange;
        _min = min;
        _max = max;
        _rangeProblem = rangeProblem;
    }

    public string Field { get; }

    public string Pattern { get; }

    /// <summary>Gets the one kind whose events the condition applies to (an API-1 alias such as <c>Match.Interface</c>), or <see langword="null"/> for any kind with the field.</summary>
    public EventKind? OnlyKind { get; }

    /// <summary>Reads a condition; <see langword="null"/> and why when the field name or the pattern can be nothing.</summary>
    /// <param name="field">The field's name.</param>
    /// <param name="pattern">What it must hold; not trimmed for a glob (a name may hold spaces).</param>
    /// <param name="onlyKind">For an alias of API 1: the kind it was documented for; events of other kinds never match.</param>
    /// <param name="error">Why the condition cannot be read, without the rule's or key's name.</param>
    public static FieldCondition? TryCreate(string field, string pattern, EventKind? onlyKind, out string? error)
    {
        if (!EventField.IsValidName(field))
        {
            error = $"'{field}' is not a field name ([a-z0-9_]+, at most {EventField.MaxNameLength} bytes)";
            return null;
        }

        string trimmed = pattern.Trim();
        bool isRange = TryParseRange(trimmed, out Int128 min, out Int128 max, out string? rangeProblem);
        if (Glob.TryParse(pattern, out string? globError) is not { } glob)
        {
            error = globError;
            return null;
        }

        error = null;
        return new FieldCondition(field, pattern, onlyKind, glob, trimmed, isRange, min, max, rangeProblem);
    }

    /// <summary>Checks the condition against a field known when the rule is read (a built-in kind's).</summary>
    /// <returns>Why no value of <paramref name="field"/> can match, or <see langword="null"/>.</returns>
    public string? CheckAgainst(EventField field)
    {
        if (!field.IsInteger)
        {
            return null;
        }

        if (_isRange)
        {
            (Int128 low, Int128 high) = Domain(field);
            return _max < low || _min > high
                ? string.Create(CultureInfo.InvariantCulture, $"'{_trimmed}' is outside the range of {EventFieldTypes.GetName(field.Type)} ({low}..{high})")
                : null;
        }

        if (field.TryParseValueName(_trimmed, out _))
        {
            return null;
        }

        if (_rangeProblem is not null)
        {
            return $"'{_trimmed}' is not a range: {_rangeProblem}";
        }

        return field.ValueNames.Count == 0
            ? $"'{_trimmed}' is not a number or a range N..M"
            : $"'{_trimmed}' is not one of {string.Join(", ", field.ValueNames.Select(v => v.Name))}, a number or a range N..M";
    }

    public bool Matches(in KernelEvent e)
    {
        if ((OnlyKind is { } kind && e.Kind != kind) || !e.TryGetField(Field, out FieldValue value))
        {
            return false;
        }

        EventField field = value.Field;
        if (field.IsInteger)
        {
            Int128 n;
            if (field.IsSigned)
            {
                value.TryGetInt64(out long s);
                n = s;
            }
            else
            {
                value.TryGetUInt64(out ulong u);
                n = u;
            }

            return _isRange ? n >= _min && n <= _max : field.TryParseValueName(_trimmed, out long named) && named == n;
        }

        Span<char> text = stackalloc char[256];
        return value.TryFormat(text, out int length) && _glob.IsMatch(text[..length]);
    }

    private static (Int128 Low, Int128 High) Domain(EventField field)
    {
        int bits = field.Size * 8;
        return field.IsSigned
            ? (-(Int128.One << (bits - 1)), (Int128.One << (bits - 1)) - 1)
            : (Int128.Zero, (Int128.One << bits) - 1);
    }

    /// <summary><c>N</c>, <c>N..M</c>, <c>..M</c> or <c>N..</c>; each bound decimal (with a sign, up to <see cref="ulong.MaxValue"/>) or <c>0x</c> hexadecimal.</summary>
    /// <param name="problem">Why text with <c>..</c> is not a range (for the message when an integer field gets it).</param>
    private static bool TryParseRange(string text, out Int128 min, out Int128 max, out string? problem)
    {
        min = long.MinValue;
        max = ulong.MaxValue;
        problem = null;
        int dots = text.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
        {
            bool ok = TryParseBound(text, out min);
            max = min;
            return ok;
        }

        ReadOnlySpan<char> low = text.AsSpan(0, dots).Trim(), high = text.AsSpan(dots + 2).Trim();
        if ((low.Length > 0 && !TryParseBound(low, out min)) || (high.Length > 0 && !TryParseBound(high, out max)) || low.Length + high.Length == 0)
        {
            problem = "each bound is a number (decimal or 0x hexadecimal), and one may be left out";
            return false;
        }

        if (min > max)
        {
            problem = "the lower bound is above the upper one";
            return false;
        }

        return true;
    }

    private static bool TryParseBound(ReadOnlySpan<char> text, out Int128 value)
    {
        value = 0;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            bool hex = ulong.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong h);
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
