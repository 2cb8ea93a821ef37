using System.CommandLine;
using System.CommandLine.Help;
using EfdCtl.Commands;

namespace EfdCtl.Cli;

/// <summary>
/// efdctl's command line on System.CommandLine: one definition gives parsing, help, usage errors and
/// the <c>[suggest]</c> completions the bash completion asks for. Global options may stand before or
/// after the command.
/// </summary>
internal sealed class CtlCommandLine
{
    public const string RunDirVariable = "EFD_RUN_DIR";
    public const string SysfsVariable = "EFD_SYSFS";

    private readonly Option<string> _runDir;
    private readonly Option<string> _sysfs;
    private readonly Option<bool> _statusJson = new("--json") { Description = "Print one JSON object: the run files, the module's sysfs figures and the daemon's reply." };
    private readonly Option<bool> _listenJson = new("--json") { Description = "Print the daemon's JSON lines verbatim, one per event." };
    private readonly Option<bool> _listenAcpid = new("--acpid")
    {
        Description = "Print only acpid's event string of each event acpid would emit (button/power PBTN 00000080 00000000), as acpi_listen does.",
    };

    private readonly Option<string[]> _kinds = new("--kind")
    {
        Description = "Only events of KIND: a built-in name such as NETDEV, a registered name such as usb.device, USER_0x1234 or a number; repeat or separate with commas.",
        HelpName = "KIND",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = EventKindsParser.Parse,
    };

    private readonly Argument<ulong> _signalCount = new("N")
    {
        Description = "How many events to raise (1 to 2^64 - 2).",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = SignalCountParser.Parse,
        CustomParser = SignalCountParser.Parse,
    };

    private readonly Argument<string?> _configFile = new("FILE")
    {
        Description = "The configuration file to check alone (default: the installed configuration).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public CtlCommandLine(CtlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _runDir = DirectoryOption("--run-dir", "The daemon's run directory", RunDirVariable, CtlCommand.DefaultRunDirectory, context);
        _sysfs = DirectoryOption("--sysfs", "The module's sysfs directory", SysfsVariable, CtlCommand.DefaultSysfsDirectory, context);
        _kinds.CompletionSources.Add(EventKindsParser.BuiltInNames);
        _configFile.Validators.Add(result => UsageError.RejectOptionLike(result));

        Root = new RootCommand("Administer a running efd-daemon.") { _runDir, _sysfs };
        foreach (Option option in Root.Options)
        {
            switch (option)
            {
                case HelpOption { Action: HelpAction defaultHelp } helpOption:
                    helpOption.Action = new HelpWithExitStatusAction(defaultHelp);
                    break;
                case VersionOption version:
                    version.Action = new VersionAction();
                    break;
            }
        }

        var status = new Command("status", "Show the daemon, its handlers, plugins and the module's figures.") { _statusJson };
        status.SetAction((parsed, ct) => StatusCommand.RunAsync(Bind(parsed), context, ct));

        var signal = new Command(
            "signal",
            "Raise N events (default 1): through the module's trigger when the module is attached to the daemon, " +
            "else by writing N to the daemon's eventfd (pidfd_getfd). Prints which path was used.")
        {
            _signalCount,
        };
        signal.SetAction(parsed => SignalCommand.Run(Bind(parsed), context));

        var listen = new Command("listen", "Print live events, one line each, until Ctrl-C (like acpi_listen).") { _listenJson, _listenAcpid, _kinds };
        listen.Validators.Add(result =>
        {
            if (result.GetValue(_listenJson) && result.GetValue(_listenAcpid))
            {
                result.AddError("--json and --acpid print different things: choose one.");
            }
        });
        listen.SetAction((parsed, ct) => ListenCommand.RunAsync(Bind(parsed), context, ct));

        var checkConfig = new Command(
            "check-config",
            "Validate the configuration (FILE alone, or the installed one) with efd-daemon --check-config.")
        {
            _configFile,
        };
        checkConfig.SetAction((parsed, ct) => CheckConfigCommand.RunAsync(Bind(parsed), context, ct));

        var help = new Command("help", "Show this help.");
        help.SetAction(parsed => Root.Parse(["--help"]).Invoke(parsed.InvocationConfiguration));

        Root.Subcommands.Add(status);
        Root.Subcommands.Add(signal);
        Root.Subcommands.Add(listen);
        Root.Subcommands.Add(checkConfig);
        Root.Subcommands.Add(help);
    }

    public RootCommand Root { get; }

    public ParseResult Parse(IReadOnlyList<string> args) => Root.Parse(args);

    /// <summary>What the commands receive of a parse without errors.</summary>
    public CtlCommand Bind(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var command = new CtlCommand
        {
            RunDirectory = parsed.GetRequiredValue(_runDir),
            SysfsDirectory = parsed.GetRequiredValue(_sysfs),
            Json = parsed.GetValue(_statusJson) || parsed.GetValue(_listenJson),
            Acpid = parsed.GetValue(_listenAcpid),
            ConfigFile = parsed.GetValue(_configFile),
            Kinds = parsed.GetValue(_kinds) ?? [],
        };
        return parsed.GetResult(_signalCount) is null ? command : command with { SignalCount = parsed.GetValue(_signalCount) };
    }

    private static Option<string> DirectoryOption(string name, string what, string variable, string fallback, CtlContext context)
    {
        var option = new Option<string>(name)
        {
            Description = $"{what} (env {variable}).",
            HelpName = "DIR",
            Recursive = true,
            DefaultValueFactory = _ => context.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : fallback,
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => t.Value.Length == 0))
            {
                result.AddError($"Required argument missing for option: '{name}'.");
            }
        });
        return option;
    }
}
