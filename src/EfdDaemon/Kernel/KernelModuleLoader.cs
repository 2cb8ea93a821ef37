using System.Diagnostics;
using System.Globalization;
using EfdDaemon.Sysfs;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Kernel;

/// <summary>
/// The modprobe helper: re-attaches through <c>/sys/kernel/efd_lkm/attach</c> when the module is
/// loaded, else runs <c>modprobe efd_lkm pid=P efd=F …</c> (no shell). Either way it then checks
/// <c>abi_version</c> and reads <c>attached_pid</c> back: modprobe of a loaded module exits 0 and
/// ignores its parameters.
/// </summary>
internal sealed class KernelModuleLoader(ModuleOptions options, ILogger logger, Func<string>? kernelRelease = null) : IKernelModuleLoader
{
    private static readonly TimeSpan ModprobeTimeout = TimeSpan.FromSeconds(60);

    private readonly Func<string> _kernelRelease = kernelRelease ?? ReadKernelRelease;
    private readonly ModuleSysfs _sysfs = new(options.SysfsPath);

    public ModuleFigures Attach(int pid, int eventFd)
    {
        string attachText = string.Create(CultureInfo.InvariantCulture, $"{pid} {eventFd}");
        if (_sysfs.Present)
        {
            CheckAbi();
            ApplySourceSwitches();
            Log.ModuleAttaching(logger, options.Name, "sysfs attach", pid, eventFd);
            try
            {
                File.WriteAllText(_sysfs.AttachPath, attachText);
            }
            catch (IOException ex)
            {
                throw new StartupException($"Writing \"{attachText}\" to {options.SysfsPath}/attach failed: {ex.Message}", ex);
            }
        }
        else
        {
            Log.ModuleAttaching(logger, options.Name, "modprobe", pid, eventFd);
            RunModprobe(pid, eventFd);
            CheckAbi();
        }

        ModuleFigures figures = ReadFigures()
            ?? throw new StartupException($"{options.Name} reported success but {options.SysfsPath} does not exist.");
        if (figures.AttachedPid != pid)
        {
            throw new StartupException(
                $"{options.Name} is attached to pid {figures.AttachedPid?.ToString(CultureInfo.InvariantCulture) ?? "?"}, not to this daemon (pid {pid}); see the kernel log (journalctl -k).");
        }

        Log.ModuleAttached(logger, options.Name, pid, eventFd);
        return figures;
    }

    public ModuleFigures? ReadFigures()
    {
        ModuleFigures figures = _sysfs.Read();
        return figures.Present ? figures : null;
    }

    private void RunModprobe(int pid, int eventFd)
    {
        var start = new ProcessStartInfo(options.Modprobe)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in ModprobeArguments(options, pid, eventFd))
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new StartupException($"{options.Modprobe} did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new StartupException($"Cannot run {options.Modprobe}: {ex.Message}", ex);
        }

        using (process)
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(ModprobeTimeout))
            {
                process.Kill();
                throw new StartupException($"{options.Modprobe} {options.Name} did not finish within {ModprobeTimeout.TotalSeconds} s.");
            }

            string error = (stderr.GetAwaiter().GetResult() + stdout.GetAwaiter().GetResult()).Trim();
            if (process.ExitCode == 0)
            {
                return;
            }

            if (error.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                string release = _kernelRelease();
                throw new StartupException(
                    $"Kernel module {options.Name} is not installed for the running kernel {release}: install the packages efd-lkm-dkms and linux-headers-{release}.");
            }

            string firstLine = error.Split('\n', 2)[0];
            throw new StartupException($"{options.Modprobe} {options.Name} failed with exit code {process.ExitCode}: {firstLine}");
        }
    }

    internal static IEnumerable<string> ModprobeArguments(ModuleOptions options, int pid, int eventFd)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        yield return options.Name;
        yield return string.Create(c, $"pid={pid}");
        yield return string.Create(c, $"efd={eventFd}");
        yield return options.Netdev ? "netdev=1" : "netdev=0";
        yield return options.Modules ? "modules=1" : "modules=0";
        yield return string.Create(c, $"tick_ms={options.TickMs}");
        yield return string.Create(c, $"ring_size={options.RingSize}");

        // Only when asked for: a module older than these sources would log each as an unknown parameter.
        if (options.Input)
        {
            yield return "input=1";
        }

        if (options.Power)
        {
            yield return "power=1";
        }
    }

    /// <summary>
    /// A loaded module kept the switches of the load before (modprobe of a loaded module ignores its
    /// parameters): write the configured ones to its run-time parameters. ring_size is fixed at load.
    /// </summary>
    private void ApplySourceSwitches()
    {
        string dir = options.ParametersPath.Length > 0 ? options.ParametersPath : Path.Combine("/sys/module", options.Name, "parameters");
        CultureInfo c = CultureInfo.InvariantCulture;
        foreach ((string name, string value, bool optional) in new[]
        {
            ("netdev", options.Netdev ? "1" : "0", false),
            ("modules", options.Modules ? "1" : "0", false),
            ("tick_ms", options.TickMs.ToString(c), false),
            ("input", options.Input ? "1" : "0", !options.Input),
            ("power", options.Power ? "1" : "0", !options.Power),
        })
        {
            string path = Path.Combine(dir, name);
            if (!File.Exists(path) && Directory.Exists(dir))
            {
                if (optional)
                {
                    continue; // a module older than this source: there is nothing to switch off
                }

                if (name is "input" or "power")
                {
                    throw new StartupException(
                        $"Module:{char.ToUpperInvariant(name[0])}{name[1..]} is true but the loaded {options.Name} has no '{name}' source (no {path}): it is older than this daemon; reload it (systemctl stop efd-daemon; modprobe -r {options.Name}; systemctl start efd-daemon).");
                }
            }

            try
            {
                File.WriteAllText(path, value);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new StartupException($"Writing {value} to {path} failed: {ex.Message}", ex);
            }
        }

        long? ringSize = _sysfs.ReadNumber(ModuleSysfs.RingSizeFile);
        if (ringSize is not null && ringSize != options.RingSize)
        {
            Log.ModuleRingSizeKept(logger, options.Name, ringSize.Value, options.RingSize);
        }
    }

    private void CheckAbi()
    {
        long? abi = _sysfs.ReadNumber(ModuleSysfs.AbiVersionFile);
        if (abi is null || abi == EfdLkmRecord.AbiVersion)
        {
            return;
        }

        if (abi >= EfdLkmRecord.OldestAbiVersion && abi < EfdLkmRecord.AbiVersion)
        {
            // A DKMS upgrade installs the new module but leaves the old one loaded until it is reloaded.
            Log.ModuleOlderAbi(logger, options.Name, abi.Value, EfdLkmRecord.AbiVersion);
            return;
        }

        throw new StartupException(
            $"{options.Name} speaks ABI version {abi}, this daemon speaks {EfdLkmRecord.OldestAbiVersion} to {EfdLkmRecord.AbiVersion}: install matching versions of efd-daemon and efd-lkm-dkms, then reload the module.");
    }

    private static string ReadKernelRelease()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return "(unknown: /proc/sys/kernel/osrelease unreadable)";
        }
    }
}
