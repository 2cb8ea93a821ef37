using EfdDaemon.Sysfs;

namespace EfdDaemon.Kernel;

/// <summary>Loads efd_lkm and attaches it to an eventfd; reads its sysfs figures. Swapped for a fake in tests.</summary>
internal interface IKernelModuleLoader
{
    /// <summary>Attaches the module to <paramref name="eventFd"/> of process <paramref name="pid"/>, loading it if needed, and verifies it.</summary>
    /// <exception cref="StartupException">The module is missing, refused, speaks another ABI, or attached elsewhere.</exception>
    ModuleFigures Attach(int pid, int eventFd);

    /// <summary>Reads the module's figures; <see langword="null"/> when it is not loaded.</summary>
    ModuleFigures? ReadFigures();
}
