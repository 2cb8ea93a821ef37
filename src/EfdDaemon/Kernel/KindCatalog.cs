using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Kernel;

/// <summary>
/// Every kind the daemon can name: the built-in ones (<see cref="BuiltInKinds"/>) and those other
/// modules registered, read from <c>/sys/kernel/efd_lkm/kinds/&lt;n&gt;/{name,format,registered}</c>
/// (kernel/README.md). The reader asks it for each record's <see cref="EventFormat"/>; it reads
/// sysfs again on a <c>KIND</c> record, on a registered number it does not know, and after a gap.
/// </summary>
/// <remarks>
/// <see cref="Find"/> and the refreshes run on the reader thread; <see cref="TryGetByName"/> and
/// <see cref="Registered"/> may be called from any thread and see the latest snapshot. A snapshot is
/// immutable, and so is each format an event carries: a record of a kind that later unregisters keeps
/// the format last read (sysfs keeps the kind's directory, with <c>registered</c> 0, until efd_lkm unloads).
/// </remarks>
internal sealed class KindCatalog
{
    /// <summary>The directory under efd_lkm's sysfs directory that describes kinds.</summary>
    public const string KindsDirectory = "kinds";

    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly Lock _refreshLock = new();
    private readonly HashSet<uint> _missed = [];
    private readonly Dictionary<uint, string> _unreadable = []; // warned once per number and text
    private Dictionary<uint, EventFormat> _registered = [];
    private bool _stale;

    /// <summary>Initializes a catalogue over <paramref name="sysfsDirectory"/> (efd_lkm's, <c>/sys/kernel/efd_lkm</c>); nothing is read yet.</summary>
    public KindCatalog(string sysfsDirectory, ILogger logger)
    {
        _directory = Path.Combine(sysfsDirectory, KindsDirectory);
        _logger = logger;
    }

    /// <summary>Gets the registered kinds last read, in number order.</summary>
    public IReadOnlyList<EventFormat> Registered => [.. Volatile.Read(ref _registered).Values.OrderBy(f => f.Kind)];

    /// <summary>Returns the format of <paramref name="kind"/>: built-in, registered (read again once if unknown), or <see langword="null"/> for an opaque or unreadable kind.</summary>
    public EventFormat? Find(EventKind kind)
    {
        if (BuiltInKinds.Get(kind) is { } builtIn)
        {
            return builtIn;
        }

        if (!EventKindNames.IsRegistered(kind))
        {
            return null;
        }

        if (_stale)
        {
            Refresh();
        }

        if (Volatile.Read(ref _registered).TryGetValue((uint)kind, out EventFormat? format))
        {
            return format;
        }

        // Unknown: read sysfs again, once per number until the next KIND record or gap says more.
        lock (_refreshLock)
        {
            if (!_missed.Add((uint)kind))
            {
                return null;
            }
        }

        Refresh(clearMisses: false);
        return Volatile.Read(ref _registered).GetValueOrDefault((uint)kind);
    }

    /// <summary>Finds a registered kind by name, preferring one still registered over one that left.</summary>
    public bool TryGetByName(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EventFormat? format)
    {
        format = null;
        foreach (EventFormat f in Volatile.Read(ref _registered).Values)
        {
            if (f.Name == name && (format is null || (f.Registered && (!format.Registered || f.Kind > format.Kind))))
            {
                format = f;
            }
        }

        return format is not null;
    }

    /// <summary>Reads every kind's directory again: at start, on a <c>KIND</c> record, after a reload of efd_lkm.</summary>
    public void Refresh() => Refresh(clearMisses: true);

    /// <summary>After a gap (a <c>KIND</c> record may be among the lost): read sysfs again before the next registered kind's format is used.</summary>
    /// <remarks>Lazy, so that a flood of gaps with no registered kind in sight costs nothing.</remarks>
    public void MarkStale() => _stale = true;

    private void Refresh(bool clearMisses)
    {
        lock (_refreshLock)
        {
            if (clearMisses)
            {
                _missed.Clear();
                _stale = false;
            }

            Dictionary<uint, EventFormat> old = _registered;
            Dictionary<uint, EventFormat> read = ReadAll(old);
            foreach ((uint number, EventFormat format) in read)
            {
                if (!old.TryGetValue(number, out EventFormat? before) || before.Name != format.Name)
                {
                    Log.KindFound(_logger, format.Name, number, format.Registered ? 1 : 0, Describe(format));
                }
                else if (before.Registered && !format.Registered)
                {
                    Log.KindLeft(_logger, format.Name, number);
                }
            }

            Volatile.Write(ref _registered, read);
        }
    }

    private Dictionary<uint, EventFormat> ReadAll(Dictionary<uint, EventFormat> old)
    {
        var read = new Dictionary<uint, EventFormat>();
        IEnumerable<string> directories;
        try
        {
            directories = Directory.EnumerateDirectories(_directory).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No efd_lkm, or one older than registered kinds: only the built-in kinds exist.
            return read;
        }

        foreach (string dir in directories)
        {
            if (!uint.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out uint number)
                || !EventKindNames.IsRegistered((EventKind)number))
            {
                continue;
            }

            try
            {
                string name = File.ReadAllText(Path.Combine(dir, "name")).TrimEnd('\n');
                bool registered = File.ReadAllText(Path.Combine(dir, "registered")).Trim() != "0";
                string text = File.ReadAllText(Path.Combine(dir, "format"));
                if (old.TryGetValue(number, out EventFormat? known) && known.Name == name && known.ToSysfsText() == text)
                {
                    read[number] = known.Registered == registered ? known : new EventFormat(known.Kind, name, known.Fields, registered);
                }
                else
                {
                    read[number] = KindFormatText.Parse((EventKind)number, name, text, registered);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The kind left between the listing and the read (efd_lkm unloading): skip it.
            }
            catch (FormatException ex)
            {
                if (!_unreadable.TryGetValue(number, out string? problem) || problem != ex.Message)
                {
                    _unreadable[number] = ex.Message;
                    Log.KindUnreadable(_logger, number, dir, ex.Message);
                }
            }
        }

        return read;
    }

    private static string Describe(EventFormat format) =>
        string.Join(", ", format.Fields.Select(f => $"{f.Name} {EventFieldTypes.GetName(f.Type)}"));
}

/// <summary>Reads a kind's sysfs description: its name and its <c>format</c> file (<c>name type offset size</c>, a field a line).</summary>
internal static class KindFormatText
{
    /// <summary>Builds the format, checking it as <c>efd_lkm_kind_register()</c> does.</summary>
    /// <exception cref="FormatException">The name or a line breaks the rules; the message says which.</exception>
    public static EventFormat Parse(EventKind kind, string name, string text, bool registered)
    {
        if (!EventFormat.IsValidRegisteredName(name))
        {
            throw new FormatException($"'{name}' is not a kind name ([a-z0-9_.]+, at most {EventFormat.MaxNameLength} bytes)");
        }

        if (BuiltInKinds.TryGet(name, out EventFormat? builtIn))
        {
            // Configuration reads kind names case-insensitively: "netdev" means NETDEV.
            throw new FormatException($"'{name}' is the name of the built-in kind {builtIn.Name}; configuration could not tell them apart");
        }

        var fields = new List<EventField>();
        int lineNumber = 0;
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            lineNumber++;
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 4 || !EventFieldTypes.TryParse(parts[1], out EventFieldType type)
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int offset)
                || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out int size))
            {
                throw new FormatException($"format line {lineNumber} '{line}' is not 'name type offset size'");
            }

            try
            {
                fields.Add(new EventField(parts[0], type, offset, size));
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"format line {lineNumber}: {ex.Message}", ex);
            }
        }

        try
        {
            return new EventFormat(kind, name, fields, registered);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }
}
