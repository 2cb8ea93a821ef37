using System.Globalization;
using EfdDaemon.Handlers.Exec.Interop;

namespace EfdDaemon.Handlers.Exec;

/// <summary>A validated rule: which events it matches and the command line it runs for them.</summary>
internal sealed class ExecRule
{
    /// <summary>util-linux's setpriv(1), which switches user and group between our spawn and the rule's program (no shell involved).</summary>
    public const string SetprivPath = "/usr/bin/setpriv";

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly HashSet<EventKind> _kinds;
    private readonly Glob? _interface;
    private readonly uint? _netdevEvent;
    private readonly Glob? _module;
    private readonly uint? _moduleState;
    private readonly string[] _commandLine;

    private ExecRule(string name, HashSet<EventKind> kinds, Glob? iface, uint? netdevEvent, Glob? module, uint? moduleState,
        string program, string[] arguments, TimeSpan timeout, uint? uid, uint? gid, bool skipRedelivered)
    {
        Name = name;
        SkipRedelivered = skipRedelivered;
        _kinds = kinds;
        _interface = iface;
        _netdevEvent = netdevEvent;
        _module = module;
        _moduleState = moduleState;
        Program = program;
        Timeout = timeout;
        _commandLine = BuildCommandLine(program, arguments, uid, gid);
    }

    public string Name { get; }

    public IReadOnlyCollection<EventKind> Kinds => _kinds;

    public string Program { get; }

    public TimeSpan Timeout { get; }

    /// <summary>Gets whether the rule ignores events redelivered after a crash (its action is not idempotent).</summary>
    public bool SkipRedelivered { get; }

    /// <summary>Gets the executable to spawn: the program, or setpriv when the rule names a user or group.</summary>
    public string Executable => _commandLine[0];

    /// <summary>Gets the argument vector, <c>argv[0]</c> included; fixed by configuration, never by an event.</summary>
    public IReadOnlyList<string> CommandLine => _commandLine;

    public bool Matches(in KernelEvent e)
    {
        if (!_kinds.Contains(e.Kind) || (SkipRedelivered && e.Redelivered))
        {
            return false;
        }

        try
        {
            if (_interface is not null || _netdevEvent is not null)
            {
                (string name, _, uint netdevEvent, _) = e.GetNetdev();
                return (_interface?.IsMatch(name) ?? true) && (_netdevEvent is null || _netdevEvent == netdevEvent);
            }

            if (_module is not null || _moduleState is not null)
            {
                (string name, uint state) = e.GetModule();
                return (_module?.IsMatch(name) ?? true) && (_moduleState is null || _moduleState == state);
            }
        }
        catch (InvalidOperationException)
        {
            // Another kind, or a short payload: a payload condition cannot hold.
            return false;
        }

        return true;
    }

    /// <summary>Validates <paramref name="o"/> and builds the rule; adds one line per problem to <paramref name="errors"/>.</summary>
    public static ExecRule? TryCreate(ExecRuleOptions o, List<string> errors)
    {
        int before = errors.Count;
        string name = string.IsNullOrWhiteSpace(o.Name) ? "(unnamed)" : o.Name;
        void Error(string text) => errors.Add($"Exec rule {name}: {text}");

        var kinds = new HashSet<EventKind>();
        if (o.Kinds is null || o.Kinds.Length == 0)
        {
            Error("Kinds: at least one kind is required");
        }

        foreach (string text in o.Kinds ?? [])
        {
            if (EventKindNames.TryParse(text, out EventKind kind))
            {
                kinds.Add(kind);
            }
            else
            {
                Error($"Kinds: '{text}' is not an event kind (a name such as NETDEV, USER_0x1234, or a number 0x1000-0xFFFF)");
            }
        }

        ExecMatchOptions match = o.Match ?? new ExecMatchOptions();
        Glob? iface = ParseGlob(match.Interface, "Interface", Error);
        Glob? module = ParseGlob(match.Module, "Module", Error);
        uint? netdevEvent = ParseNamed(match.NetdevEvent, "NetdevEvent", NetdevEvents, Error);
        uint? moduleState = ParseNamed(match.ModuleState, "ModuleState", ModuleStates, Error);
        if ((iface is not null || netdevEvent is not null) && !kinds.Contains(EventKind.Netdev))
        {
            Error("Match.Interface and Match.NetdevEvent apply to NETDEV events only: add NETDEV to Kinds");
        }

        if ((module is not null || moduleState is not null) && !kinds.Contains(EventKind.Module))
        {
            Error("Match.Module and Match.ModuleState apply to MODULE events only: add MODULE to Kinds");
        }

        if ((iface is not null || netdevEvent is not null) && (module is not null || moduleState is not null))
        {
            Error("a rule matches either interface or module fields, not both (write two rules)");
        }

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
            : new ExecRule(name, kinds, iface, netdevEvent, module, moduleState, o.Program!, arguments, o.Timeout, uid, gid, o.SkipRedelivered);
    }

    public static string NetdevEventName(uint value) => NameOf(NetdevEvents, value);

    public static string ModuleStateName(uint value) => NameOf(ModuleStates, value);

    private static readonly (string Name, uint Value)[] NetdevEvents = [("UP", 1), ("DOWN", 2), ("CHANGE", 4)];

    private static readonly (string Name, uint Value)[] ModuleStates = [("LIVE", 0), ("COMING", 1), ("GOING", 2)];

    private static string NameOf((string Name, uint Value)[] names, uint value)
    {
        foreach ((string n, uint v) in names)
        {
            if (v == value)
            {
                return n;
            }
        }

        return value.ToString(CultureInfo.InvariantCulture);
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

    private static Glob? ParseGlob(string? pattern, string field, Action<string> error)
    {
        if (pattern is null)
        {
            return null;
        }

        Glob? glob = Glob.TryParse(pattern, out string? problem);
        if (glob is null)
        {
            error($"Match.{field}: {problem}");
        }

        return glob;
    }

    private static uint? ParseNamed(string? text, string field, (string Name, uint Value)[] names, Action<string> error)
    {
        if (text is null)
        {
            return null;
        }

        foreach ((string n, uint v) in names)
        {
            if (string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint number))
        {
            return number;
        }

        error($"Match.{field}: '{text}' is not one of {string.Join(", ", names.Select(x => x.Name))} or a number");
        return null;
    }
}
