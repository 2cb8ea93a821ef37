namespace EfdCtl.Tests.Fakes;

internal sealed record CtlResult(int ExitCode, string Out, string Error);

/// <summary>Runs efdctl in-process with captured output and a controlled environment.</summary>
internal static class Ctl
{
    public static async Task<CtlResult> RunAsync(params string[] args) =>
        await RunAsync(args, new Dictionary<string, string>(), CancellationToken.None);

    public static async Task<CtlResult> RunAsync(
        string[] args,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken,
        LineWriter? output = null,
        TimeSpan? replyTimeout = null,
        Action? listening = null)
    {
        // Never the machine's real /run or /sys unless a test says so.
        var env = new Dictionary<string, string>
        {
            ["EFD_RUN_DIR"] = "/nonexistent/efd-run",
            ["EFD_SYSFS"] = "/nonexistent/efd_lkm",
        };
        foreach ((string key, string value) in environment)
        {
            env[key] = value;
        }

        output ??= new LineWriter();
        var error = new LineWriter();
        var context = new CtlContext
        {
            Out = output,
            Error = error,
            GetEnvironmentVariable = name => env.TryGetValue(name, out string? v) ? v : null,
            IsRoot = true,
            BaseDirectory = "/nonexistent",
            ReplyTimeout = replyTimeout ?? TimeSpan.FromSeconds(30),
            Listening = listening,
        };
        int code = await CtlApp.RunAsync(args, context, cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        return new CtlResult(code, output.ToString(), error.ToString());
    }
}
