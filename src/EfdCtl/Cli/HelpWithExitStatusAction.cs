using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace EfdCtl.Cli;

/// <summary>
/// <c>-h</c>, <c>--help</c>: System.CommandLine's help; for efdctl itself followed by the environment
/// and the exit codes, which System.CommandLine has no section for.
/// </summary>
internal sealed class HelpWithExitStatusAction(HelpAction help) : SynchronousCommandLineAction
{
    public const string Epilogue = """
        Environment:
          EFD_RUN_DIR, EFD_SYSFS  Defaults of --run-dir and --sysfs.
          EFD_DAEMON              The efd-daemon binary check-config runs (default
                                  /usr/lib/efd-daemon/efd-daemon, else efd-daemon beside efdctl).

        Exit status:
          0    success (listen: stopped by Ctrl-C or SIGTERM)
          1    the operation failed (the daemon replied an error, a write failed)
          2    usage error
          3    efd-daemon is not running (no run file, stale pid, no control socket, or it went away)
          4    permission denied (most commands need root)
          5    check-config: the configuration is invalid
          130  interrupted by Ctrl-C or SIGTERM (commands other than listen)
        """;

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        int exitCode = help.Invoke(parseResult);
        if (parseResult.CommandResult.Command is RootCommand)
        {
            parseResult.InvocationConfiguration.Output.Write(Epilogue + "\n\n");
        }

        return exitCode;
    }
}
