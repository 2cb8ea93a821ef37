using System.Diagnostics;

namespace EfdDaemon.Tests.Support;

/// <summary>Platform and privilege requirements, checked loudly: a missing one fails the test with its reason, never passes silently.</summary>
internal static class Requirements
{
    public static void Root(string why) =>
        Assert.True(Environment.UserName == "root" || geteuid() == 0, $"This test needs root: {why}. Run the suite as root (CI does).");

    public static string Tool(string name, string package)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        Assert.Fail($"This test needs '{name}' on PATH (Debian package {package}).");
        return name;
    }

    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}
