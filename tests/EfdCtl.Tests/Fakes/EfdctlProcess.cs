using System.Diagnostics;

namespace EfdCtl.Tests.Fakes;

/// <summary>efdctl as a real process: <c>dotnet efdctl.dll …</c> from the test's output directory.</summary>
internal static class EfdctlProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "efdctl.dll");

    public static string Dotnet => DaemonProcess.Dotnet;

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IEnumerable<string>? prefix = null)
    {
        string[] before = prefix?.ToArray() ?? [];
        var start = new ProcessStartInfo(before.Length > 0 ? before[0] : Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in before.Skip(1))
        {
            start.ArgumentList.Add(a);
        }

        if (before.Length > 0)
        {
            start.ArgumentList.Add(Dotnet);
        }

        start.ArgumentList.Add(Dll);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("EFD_RUN_DIR");
        start.Environment.Remove("EFD_SYSFS");
        return start;
    }

    public static async Task<CtlResult> RunAsync(IEnumerable<string> args, IEnumerable<string>? prefix = null)
    {
        using Process p = Process.Start(StartInfo(args, prefix))!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new CtlResult(p.ExitCode, await stdout, await stderr);
    }
}
