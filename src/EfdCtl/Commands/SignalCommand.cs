using EfdCtl.Cli;
using EfdCtl.Interop;
using EfdCtl.RunFiles;
using EfdDaemon.Interop;
using EfdDaemon.RunFiles;
using EfdDaemon.Sysfs;

namespace EfdCtl.Commands;

/// <summary>
/// <c>efdctl signal [N]</c>: through the module's <c>trigger</c> when the module is attached to the
/// daemon (N TRIGGER records), else N written to the daemon's own eventfd via pidfd_getfd (one
/// wake-up; the daemon sees count N, or N events in semaphore mode).
/// </summary>
internal static class SignalCommand
{
    public static int Run(CtlCommand command, CtlContext context)
    {
        DaemonRunFiles run = DaemonRunFiles.Read(command.RunDirectory, context.IsRoot);
        var sysfs = new ModuleSysfs(command.SysfsDirectory);
        ModuleFigures module = sysfs.Read();
        ulong n = command.SignalCount;

        if (module.Present && module.AttachedPid == run.Pid)
        {
            WriteTrigger(sysfs, n, context.IsRoot);
            context.Out.WriteLine($"signal: wrote {n} to {sysfs.TriggerPath}: the module raises {n} TRIGGER event{(n == 1 ? "" : "s")} for efd-daemon (pid {run.Pid})");
            return ExitCodes.Ok;
        }

        int fd = run.EventFd ?? throw CtlException.NotRunning(
            $"no {Path.Combine(run.Directory, RunDirectory.EventFdFile)}");
        WriteEventfd(run.Pid, fd, n, context.IsRoot);
        string why = module.Present ? "the module is not attached to it" : "the module is not loaded";
        context.Out.WriteLine($"signal: wrote {n} to efd-daemon's eventfd (pid {run.Pid}, fd {fd}) through pidfd_getfd ({why})");
        return ExitCodes.Ok;
    }

    private static void WriteTrigger(ModuleSysfs sysfs, ulong n, bool isRoot)
    {
        try
        {
            sysfs.Trigger(n);
        }
        catch (UnauthorizedAccessException)
        {
            throw CtlException.PermissionDenied($"cannot write {sysfs.TriggerPath}", isRoot);
        }
        catch (IOException e)
        {
            throw CtlException.Failed($"writing {n} to {sysfs.TriggerPath} failed: {e.Message}");
        }
    }

    private static void WriteEventfd(int pid, int fd, ulong n, bool isRoot)
    {
        try
        {
            PidfdEventfdWriter.Write(pid, fd, n);
        }
        catch (NotAnEventfdException e)
        {
            throw CtlException.Failed(e.Message);
        }
        catch (ErrnoException e)
        {
            throw e switch
            {
                { IsNoSuchProcess: true } => CtlException.NotRunning($"process {pid} is gone"),
                { IsPermissionDenied: true } => CtlException.PermissionDenied(
                    $"{e.Syscall} on efd-daemon (pid {pid}) needs root or CAP_SYS_PTRACE", isRoot),
                { Syscall: "pidfd_getfd", Errno: Errno.EBADF } =>
                    CtlException.Failed($"fd {fd} is not open in efd-daemon (pid {pid}): stale run file?"),
                { Errno: Errno.ENOSYS } =>
                    CtlException.Failed($"{e.Syscall} is not available (Linux 5.6 or later is needed)"),
                { Syscall: "write(eventfd)", Errno: Errno.EAGAIN } =>
                    CtlException.Failed($"efd-daemon's eventfd counter cannot take {n} more now (is the daemon reading?)"),
                _ => CtlException.Failed($"signalling efd-daemon (pid {pid}, fd {fd}) failed: {e.Message}"),
            };
        }
    }
}
