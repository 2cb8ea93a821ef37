namespace EfdCtl.Tests.Fakes;

/// <summary>A test against the real efd-daemon built with these tests; skipped, with the reason, when it is not there.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresEfdDaemonFactAttribute : FactAttribute
{
    public RequiresEfdDaemonFactAttribute()
    {
        if (DaemonProcess.Dll is null)
        {
            Skip = "efd-daemon.dll was not built with the tests (EfdDaemonDll assembly metadata missing or the file is absent)";
        }
    }
}
