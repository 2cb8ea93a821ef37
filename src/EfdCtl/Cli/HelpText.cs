using System.Reflection;

namespace EfdCtl.Cli;

internal static class HelpText
{
    public const string Usage = """
        Usage: efdctl [OPTIONS] COMMAND [ARGS]

        Administer a running efd-daemon.

        Commands:
          status                 Show the daemon, its handlers, plugins and the module's figures.
          signal [N]             Raise N events (default 1): through the module's trigger when the
                                 module is attached to the daemon, else by writing N to the daemon's
                                 eventfd (pidfd_getfd). Prints which path was used.
          listen                 Print live events, one line each, until Ctrl-C (like acpi_listen).
          check-config [FILE]    Validate the configuration (FILE alone, or the installed one) with
                                 efd-daemon --check-config.
          help                   Show this help.

        Options:
          --run-dir DIR          The daemon's run directory (default /run/efd-daemon, env EFD_RUN_DIR).
          --sysfs DIR            The module's sysfs directory (default /sys/kernel/efd_lkm, env EFD_SYSFS).
          --json                 status, listen: print JSON (status: one object; listen: one per line).
          --kind KIND            listen: only events of KIND (TRIGGER, NETDEV, MODULE, TICK, ATTACHED,
                                 SIGNAL, USER_0x1234 or a number); repeat or separate with commas.
          -h, --help             Show this help.
          --version              Show efdctl's version.

        Environment:
          EFD_RUN_DIR, EFD_SYSFS as above; EFD_DAEMON: the efd-daemon binary check-config runs
          (default /usr/lib/efd-daemon/efd-daemon, else efd-daemon beside efdctl).

        Exit status:
          0  success (listen: stopped by Ctrl-C or SIGTERM)
          1  the operation failed (the daemon replied an error, a write failed)
          2  usage error
          3  efd-daemon is not running (no run file, stale pid, no control socket, or it went away)
          4  permission denied (most commands need root)
          5  check-config: the configuration is invalid
        """;

    public const string TryHelp = "Try 'efdctl --help' for more information.";

    public static string Version
    {
        get
        {
            string? v = typeof(HelpText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            int plus = v?.IndexOf('+', StringComparison.Ordinal) ?? -1;
            return "efdctl " + (plus > 0 ? v![..plus] : v ?? "unknown");
        }
    }
}
