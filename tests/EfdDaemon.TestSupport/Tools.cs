using System.Diagnostics;

namespace EfdDaemon.TestSupport;

/// <summary>Tools a test runs to its end (gcc, mkfifo, …); find them with <see cref="Prerequisites.Tool"/>.</summary>
public static class Tools
{
    /// <summary>Runs <paramref name="file"/> to its end; returns its exit code and its stdout then stderr.</summary>
    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd() + stderr.GetAwaiter().GetResult();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
