using System.Globalization;
using EfdDaemon;

namespace EfdCtl.Cli;

/// <summary>Reads efdctl's command line. Global options may stand before or after the command.</summary>
internal static class CommandLineParser
{
    public const string RunDirVariable = "EFD_RUN_DIR";
    public const string SysfsVariable = "EFD_SYSFS";

    /// <summary>Parses <paramref name="args"/>; throws a usage <see cref="CtlException"/> on error.</summary>
    public static CtlCommand Parse(IReadOnlyList<string> args, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);

        string runDir = NonEmpty(getEnvironmentVariable(RunDirVariable)) ?? CtlCommand.DefaultRunDirectory;
        string sysfs = NonEmpty(getEnvironmentVariable(SysfsVariable)) ?? CtlCommand.DefaultSysfsDirectory;
        bool json = false, help = false, version = false;
        var kinds = new List<string>();
        var positional = new List<string>();

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                positional.AddRange(args.Skip(i + 1));
                break;
            }

            if (!arg.StartsWith('-') || arg == "-" || char.IsAsciiDigit(arg[1]))
            {
                positional.Add(arg);
                continue;
            }

            (string name, string? inline) = SplitInlineValue(arg);
            switch (name)
            {
                case "-h" or "--help":
                    help = true;
                    break;
                case "--version":
                    version = true;
                    break;
                case "--json":
                    NoValue(name, inline);
                    json = true;
                    break;
                case "--run-dir":
                    runDir = Value(args, ref i, name, inline);
                    break;
                case "--sysfs":
                    sysfs = Value(args, ref i, name, inline);
                    break;
                case "--kind":
                    foreach (string k in Value(args, ref i, name, inline).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        kinds.Add(ParseKind(k));
                    }

                    break;
                default:
                    throw CtlException.Usage($"unknown option '{arg}'");
            }
        }

        if (help || (positional.Count > 0 && positional[0] == "help"))
        {
            return new CtlCommand { Kind = CommandKind.Help };
        }

        if (version)
        {
            return new CtlCommand { Kind = CommandKind.Version };
        }

        if (positional.Count == 0)
        {
            throw CtlException.Usage("no command given");
        }

        string verb = positional[0];
        var operands = positional.Skip(1).ToList();
        var command = new CtlCommand
        {
            Kind = verb switch
            {
                "status" => CommandKind.Status,
                "signal" => CommandKind.Signal,
                "check-config" => CommandKind.CheckConfig,
                "listen" => CommandKind.Listen,
                _ => throw CtlException.Usage($"unknown command '{verb}'"),
            },
            RunDirectory = runDir,
            SysfsDirectory = sysfs,
            Json = json,
            Kinds = kinds,
        };

        if (json && command.Kind is not (CommandKind.Status or CommandKind.Listen))
        {
            throw CtlException.Usage($"--json is not valid with '{verb}'");
        }

        if (kinds.Count > 0 && command.Kind != CommandKind.Listen)
        {
            throw CtlException.Usage($"--kind is only valid with 'listen'");
        }

        int maxOperands = command.Kind is CommandKind.Signal or CommandKind.CheckConfig ? 1 : 0;
        if (operands.Count > maxOperands)
        {
            throw CtlException.Usage($"unexpected argument '{operands[maxOperands]}' for '{verb}'");
        }

        return command.Kind switch
        {
            CommandKind.Signal when operands.Count == 1 => command with { SignalCount = ParseCount(operands[0]) },
            CommandKind.CheckConfig when operands.Count == 1 => command with { ConfigFile = operands[0] },
            _ => command,
        };
    }

    private static ulong ParseCount(string text)
    {
        // The eventfd counter holds at most 2^64 - 2; the module's trigger takes the same decimal.
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) || n == 0 || n == ulong.MaxValue)
        {
            throw CtlException.Usage($"signal: N must be a whole number from 1 to {ulong.MaxValue - 1}, not '{text}'");
        }

        return n;
    }

    private static string ParseKind(string text)
    {
        if (!EventKindNames.TryParse(text, out EventKind kind))
        {
            throw CtlException.Usage($"unknown event kind '{text}' (a name such as TRIGGER or NETDEV, USER_0x1234, or a number)");
        }

        return EventKindNames.GetName(kind);
    }

    private static (string Name, string? Inline) SplitInlineValue(string arg)
    {
        int eq = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string name, string? inline)
    {
        string? value = inline;
        if (value is null)
        {
            if (i + 1 >= args.Count)
            {
                throw CtlException.Usage($"option '{name}' needs a value");
            }

            value = args[++i];
        }

        return value.Length == 0 ? throw CtlException.Usage($"option '{name}' needs a value") : value;
    }

    private static void NoValue(string name, string? inline)
    {
        if (inline is not null)
        {
            throw CtlException.Usage($"option '{name}' takes no value");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
