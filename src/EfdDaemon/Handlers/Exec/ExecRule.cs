using System.Globalization;
using System.Text.RegularExpressions;
using EfdDaemon.Events;
using EfdDaemon.Handlers.Exec.Interop;

namespace EfdDaemon.Handlers.Exec;

/// <summary>A validated rule: which events it matches and the command line it runs for them.</summary>
internal sealed class ExecRule
{
    /// <summary>util-linux's setpriv(1), which switches user and group between our spawn and the rule's program (no shell involved).</summary>
    public const string SetprivPath = "/usr/bin/setpriv";

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly KindFilter _kinds;
    private readonly FieldCondition[] _conditions;
    private readonly string[] _commandLine;
    private readonly Regex? _acpid;

    private ExecRule(string name, KindFilter kinds, FieldCondition[] conditions, Regex? acpid, bool acpidArguments,
        string program, string[] arguments, TimeSpan timeout, uint? uid, uint? gid, bool skipRedelivered)
    {
        Name = name;
        SkipRedelivered = skipRedelivered;
        AcpidArguments = acpidArguments;
        _kinds = kinds;
        _conditions = conditions;
        _acpid = acpid;
        Program = program;
        Timeout = timeout;
        _commandLine = BuildCommandLine(program, arguments, uid, gid);
    }

    public string Name { get; }

    public IReadOnlyCollection<EventKind> Kinds => _kinds.Kinds ?? [];

    /// <summary>Gets the names of registered kinds the rule applies to.</summary>
    public IReadOnlyList<string> RegisteredKinds => _kinds.Names;

    /// <summary>Gets the payload conditions, the aliases (<c>Interface</c>, …) included as the field conditions they stand for.</summary>
    public IReadOnlyList<FieldCondition> Conditions => _conditions;

    public string Program { get; }

    public TimeSpan Timeout { get; }

    /// <summary>Gets whether the rule ignores events redelivered after a crash (its action is not idempotent).</summary>
    public bool SkipRedelivered { get; }

    /// <summary>Gets whether acpid's event string is appended to the arguments, token by token (acpid's <c>%e</c>).</summary>
    public bool AcpidArguments { get; }

    /// <summary>Gets whether the rule runs only for events acpid would emit (<c>Match.Acpid</c> or <see cref="AcpidArguments"/>).</summary>
    public bool NeedsAcpidEvent => _acpid is not null || AcpidArguments;

    /// <summary>Gets the executable to spawn: the program, or setpriv when the rule names a user or group.</summary>
    public string Executable => _commandLine[0];

    /// <summary>Gets the argument vector, <c>argv[0]</c> included, as configured (<see cref="CommandLineFor"/> adds acpid's tokens).</summary>
    public IReadOnlyList<string> CommandLine => _commandLine;

    /// <summary>
    /// Returns the argument vector for one event: the configured one, and with <see cref="AcpidArguments"/>
    /// the tokens of <paramref name="acpidEvent"/> after it. Nothing else of an event ever reaches argv.
    /// </summary>
    public IReadOnlyList<string> CommandLineFor(string? acpidEvent) =>
        AcpidArguments && acpidEvent is not null ? [.. _commandLine, .. AcpidEvent.Tokens(acpidEvent)] : _commandLine;

    /// <summary>Whether the rule runs for <paramref name="e"/>.</summary>
    public bool Matches(in KernelEvent e) => Matches(in e, AcpidEvent.Format(in e));

    /// <summary>Whether the rule runs for <paramref name="e"/>, whose acpid event string (<see cref="AcpidEvent.Format"/>) is <paramref name="acpidEvent"/>.</summary>
    public bool Matches(in KernelEvent e, string? acpidEvent)
    {
        if (!_kinds.Contains(e.Kind, e.Format) || (SkipRedelivered && e.Redelivered))
        {
            return false;
        }

        if (NeedsAcpidEvent && (acpidEvent is null || (_acpid is not null && !_acpid.IsMatch(acpidEvent))))
        {
            return false;
        }

        foreach (FieldCondition condition in _conditions)
        {
            if (!condition.Matches(in e))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Validates <paramref name="o"/> and builds the rule; adds one line per problem to <paramref name="errors"/>.</summary>
    public static ExecRule? TryCreate(ExecRuleOptions o, List<string> errors)
    {
        int before = errors.Count;
        string name = string.IsNullOrWhiteSpace(o.Name) ? "(unnamed)" : o.Name;
        void Error(string text) => errors.Add($"Exec rule {name}: {text}");

        if (o.Kinds is null || o.Kinds.Length == 0)
        {
            Error("Kinds: at least one kind is required");
        }

        KindFilter kinds = KindFilter.Parse(o.Kinds ?? [], e => Error($"Kinds: {e}"));
        List<FieldCondition> conditions = ReadConditions(o.Match ?? new ExecMatchOptions(), kinds, Error);
        Regex? acpid = ReadAcpid(o.Match?.Acpid, o.AcpidArguments, kinds, Error);
        CheckProgram(o.Program, Error);
        string[] arguments = o.Arguments ?? [];
        if (arguments.Any(a => a is null || a.Contains('\0', StringComparison.Ordinal)))
        {
            Error("Arguments: an argument is null or contains a NUL character");
        }

        uint? uid = null;
        uint? gid = null;
        if (!string.IsNullOrWhiteSpace(o.User))
        {
            if (Accounts.TryGetUser(o.User, out uint u, out uint primaryGid))
            {
                uid = u;
                gid = primaryGid;
            }
            else
            {
                Error($"User: no user '{o.User}'");
            }
        }

        if (!string.IsNullOrWhiteSpace(o.Group))
        {
            if (Accounts.TryGetGroup(o.Group, out uint g))
            {
                gid = g;
            }
            else
            {
                Error($"Group: no group '{o.Group}'");
            }
        }

        if ((uid is not null || gid is not null) && !File.Exists(SetprivPath))
        {
            Error($"User/Group need {SetprivPath} (util-linux), which is missing");
        }

        return errors.Count > before
            ? null
            : new ExecRule(name, kinds, [.. conditions], acpid, o.AcpidArguments, o.Program!, arguments, o.Timeout, uid, gid, o.SkipRedelivered);
    }

    public static string NetdevEventName(uint value) => ValueName(EventKind.Netdev, "event", value);

    public static string ModuleStateName(uint value) => ValueName(EventKind.Module, "state", value);

    private static string ValueName(EventKind kind, string field, uint value) =>
        BuiltInKinds.Get(kind)!.TryGetField(field, out EventField? f) && f.NameOf(value) is { } name
            ? name
            : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads <c>Match:Fields</c> and the aliases of API 1 (<c>Interface</c> = NETDEV's <c>ifname</c>,
    /// <c>NetdevEvent</c> = its <c>event</c>, <c>Module</c> = MODULE's <c>name</c>, <c>ModuleState</c> =
    /// its <c>state</c>; each still for its own kind's events only, as documented), and checks each
    /// against the rule's built-in kinds: a field none of them has, or a value that none of their
    /// fields of that name can hold, is an error. A rule that also names a registered kind (by name or
    /// number) or an opaque kind may name fields the built-in kinds lack: those are known per event.
    /// </summary>
    private static List<FieldCondition> ReadConditions(ExecMatchOptions match, KindFilter kinds, Action<string> error)
    {
        IReadOnlyList<EventKind> numbers = kinds.Kinds ?? [];
        bool openEnded = kinds.Names.Count > 0 || numbers.Any(k => BuiltInKinds.Get(k) is null);
        var conditions = new List<FieldCondition>();
        void Add(string where, string field, string? pattern, EventKind? aliasOf)
        {
            if (pattern is null)
            {
                return; // absent (JSON null): matches anything
            }

            if (aliasOf is { } kind && !numbers.Contains(kind))
            {
                error($"Match.{where} applies to {EventKindNames.GetName(kind)} events only: add {EventKindNames.GetName(kind)} to Kinds");
                return;
            }

            if (aliasOf is null && pattern.Length == 0)
            {
                error($"Match.{where}: the pattern is empty (leave the key out to match any value)");
                return;
            }

            if (FieldCondition.TryCreate(field, pattern, aliasOf, out string? problem) is not { } condition)
            {
                error($"Match.{where}: {problem}");
                return;
            }

            EventFormat[] formats = [.. (aliasOf is { } only ? [only] : numbers).Select(BuiltInKinds.Get).OfType<EventFormat>()];
            List<(EventFormat Format, EventField Field)> known = [];
            foreach (EventFormat format in formats)
            {
                if (format.TryGetField(field, out EventField? f))
                {
                    known.Add((format, f));
                }
            }

            bool open = aliasOf is null && openEnded;
            if (known.Count == 0 && !open)
            {
                error($"Match.{where}: no kind of this rule ({string.Join(", ", formats.Select(f => f.Name))}) has a field '{field}'");
                return;
            }

            // One kind that can hold the value is enough: the condition then only narrows the others out.
            List<(EventFormat Format, string Why)> mismatches = [];
            foreach ((EventFormat format, EventField f) in known)
            {
                if (condition.CheckAgainst(f) is { } why)
                {
                    mismatches.Add((format, why));
                }
            }

            if (mismatches.Count > 0 && mismatches.Count == known.Count && !open)
            {
                error(mismatches.Count == 1
                    ? $"Match.{where}: {mismatches[0].Why}"
                    : $"Match.{where}: {string.Join("; ", mismatches.Select(m => $"{m.Why} ({m.Format.Name})"))}");
                return;
            }

            conditions.Add(condition);
        }

        Add("Interface", "ifname", match.Interface, EventKind.Netdev);
        Add("NetdevEvent", "event", match.NetdevEvent, EventKind.Netdev);
        Add("Module", "name", match.Module, EventKind.Module);
        Add("ModuleState", "state", match.ModuleState, EventKind.Module);
        if ((match.Interface is not null || match.NetdevEvent is not null) && (match.Module is not null || match.ModuleState is not null))
        {
            error("a rule matches either interface or module fields, not both (write two rules)");
        }

        foreach ((string field, string? pattern) in match.Fields ?? [])
        {
            Add($"Fields.{field}", field, pattern, null);
        }

        return conditions;
    }

    /// <summary>
    /// Reads <c>Match.Acpid</c>, acpid's <c>event=</c>: an extended regular expression searched in the
    /// event string (unanchored, as acpid's regexec), compiled non-backtracking so that no pattern can
    /// hold the handler up. It and <c>AcpidArguments</c> need a kind acpid has events for.
    /// </summary>
    private static Regex? ReadAcpid(string? pattern, bool arguments, KindFilter kinds, Action<string> error)
    {
        if ((pattern is not null || arguments) && !(kinds.Kinds ?? []).Any(k => k is EventKind.Input or EventKind.Power))
        {
            error($"{(pattern is not null ? "Match.Acpid" : "AcpidArguments")}: only INPUT and POWER events have acpid event strings: add INPUT or POWER to Kinds");
            return null;
        }

        if (pattern is null)
        {
            return null;
        }

        if (pattern.Length == 0)
        {
            error("Match.Acpid: the pattern is empty (leave the key out to match any acpid event)");
            return null;
        }

        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException ex)
        {
            error($"Match.Acpid: '{pattern}' is not a regular expression: {ex.Message}");
            return null;
        }
        catch (NotSupportedException ex)
        {
            error($"Match.Acpid: '{pattern}' uses what an extended regular expression lacks: {ex.Message}");
            return null;
        }
    }

    private static string[] BuildCommandLine(string program, string[] arguments, uint? uid, uint? gid)
    {
        if (uid is null && gid is null)
        {
            return [program, .. arguments];
        }

        var setpriv = new List<string> { SetprivPath };
        if (uid is { } u)
        {
            setpriv.Add(string.Create(CultureInfo.InvariantCulture, $"--reuid={u}"));
        }

        if (gid is { } g)
        {
            setpriv.Add(string.Create(CultureInfo.InvariantCulture, $"--regid={g}"));
        }

        // With a user, take its supplementary groups; a group alone drops root's.
        setpriv.Add(uid is null ? "--clear-groups" : "--init-groups");
        setpriv.Add("--");
        return [.. setpriv, program, .. arguments];
    }

    private static void CheckProgram(string? program, Action<string> error)
    {
        if (string.IsNullOrEmpty(program))
        {
            return; // [Required] reports it.
        }

        if (!Path.IsPathFullyQualified(program))
        {
            error($"Program: '{program}' is not an absolute path (there is no PATH lookup)");
        }
        else if (!File.Exists(program))
        {
            error($"Program: {program} does not exist or is a directory");
        }
        else if ((File.GetUnixFileMode(program) & AnyExecute) == 0)
        {
            error($"Program: {program} is not executable");
        }
    }
}
