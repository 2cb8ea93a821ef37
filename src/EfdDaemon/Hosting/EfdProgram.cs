using EfdDaemon.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Hosting;

/// <summary>The command line's flow: <c>--version</c>, <c>--check-config</c>, validate, run; maps failures to src/EfdDaemon/INTERFACES.md's exit codes.</summary>
internal static class EfdProgram
{
    public static async Task<int> RunAsync(string[] args, Action<HostApplicationBuilder>? configure = null, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        EfdCommandLine commandLine;
        try
        {
            commandLine = EfdCommandLine.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"efd-daemon: {ex.Message}").ConfigureAwait(false);
            return DaemonExitCodes.InvalidConfiguration;
        }

        if (commandLine.ShowVersion)
        {
            await stdout.WriteLineAsync($"efd-daemon {DaemonInfo.GetVersion()} (plugin contract {EfdApi.Version})").ConfigureAwait(false);
            return DaemonExitCodes.Ok;
        }

        IHost host;
        try
        {
            HostApplicationBuilder builder = EfdHost.CreateBuilder(commandLine);
            configure?.Invoke(builder);
            host = builder.Build();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or InvalidOperationException)
        {
            // An unreadable or malformed JSON file surfaces here.
            await stderr.WriteLineAsync($"efd-daemon: invalid configuration: {OneLine(ex)}").ConfigureAwait(false);
            return DaemonExitCodes.InvalidConfiguration;
        }

        using (host)
        {
            IReadOnlyList<string> errors = EfdConfigChecker.Check(host.Services);
            if (commandLine.CheckConfig)
            {
                // Unknown keys fail the check, but only warn when the daemon starts (UnknownKeyWarnings).
                errors = [.. errors, .. UnknownKeyCheck.Find(host.Services).Select(k => k.ToString())];
                await (errors.Count == 0 ? stdout : stderr).WriteLineAsync(errors.Count == 0 ? "config ok" : string.Join('\n', errors)).ConfigureAwait(false);
                return errors.Count == 0 ? DaemonExitCodes.Ok : DaemonExitCodes.InvalidConfiguration;
            }

            if (errors.Count > 0)
            {
                await stderr.WriteLineAsync($"efd-daemon: invalid configuration: {string.Join("; ", errors)}").ConfigureAwait(false);
                return DaemonExitCodes.InvalidConfiguration;
            }

            return await RunHostAsync(host, stderr).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunHostAsync(IHost host, TextWriter stderr)
    {
        ILogger logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EfdDaemon");
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch (StartupException ex)
        {
            Log.StartupFailed(logger, ex.Message);
            await stderr.WriteLineAsync($"efd-daemon: {ex.Message}").ConfigureAwait(false);
            await StopAfterFailedStartAsync(host, logger).ConfigureAwait(false);
            return DaemonExitCodes.StartupFailure;
        }
#pragma warning disable CA1031 // Last resort: any other failure is an internal error (exit 70).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.InternalError(logger, ex);
            await stderr.WriteLineAsync($"efd-daemon: internal error: {OneLine(ex)}").ConfigureAwait(false);
            await StopAfterFailedStartAsync(host, logger).ConfigureAwait(false);
            return DaemonExitCodes.InternalError;
        }

        try
        {
            await host.WaitForShutdownAsync().ConfigureAwait(false);
            return Environment.ExitCode;
        }
#pragma warning disable CA1031 // A failure while stopping is an internal error (exit 70).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.InternalError(logger, ex);
            await stderr.WriteLineAsync($"efd-daemon: internal error while stopping: {OneLine(ex)}").ConfigureAwait(false);
            return DaemonExitCodes.InternalError;
        }
    }

    /// <summary>Undoes what the services that did start have done (run files, reader thread); failures here are only logged.</summary>
    private static async Task StopAfterFailedStartAsync(IHost host, ILogger logger)
    {
        try
        {
            await host.StopAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The start-up failure is what the administrator needs to see.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.InternalError(logger, ex);
        }
    }

    private static string OneLine(Exception ex) => (ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message).ReplaceLineEndings(" ");
}
