using System.Runtime.InteropServices;
using EfdDaemon.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Hosting;

/// <summary>SIGHUP: reload the configuration, re-validate, apply to every <see cref="IConfigReloadable"/> or to none.</summary>
internal sealed class ReloadService(IConfiguration configuration, IEnumerable<IConfigReloadable> reloadables, ILogger<ReloadService> logger)
    : IHostedService, IDisposable
{
    private readonly Lock _lock = new();
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Reload();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration?.Dispose();
        _registration = null;
        return Task.CompletedTask;
    }

    /// <summary>What SIGHUP does; returns the problems that kept the old settings (empty when applied).</summary>
    public IReadOnlyList<string> Reload()
    {
        lock (_lock)
        {
            List<string> errors = [];
            if (configuration is IConfigurationRoot root)
            {
                try
                {
                    root.Reload();
                }
                catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
                {
                    // A file that no longer parses: nothing is applied, the running settings stay.
                    errors.Add(ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message);
                }
            }

            if (errors.Count == 0)
            {
                errors.AddRange(reloadables.SelectMany(r => r.Validate(configuration)));
            }

            if (errors.Count > 0)
            {
                Log.ConfigurationReloadRejected(logger, string.Join("; ", errors));
                return errors;
            }

            foreach (IConfigReloadable r in reloadables)
            {
                r.Apply(configuration);
            }

            Log.ConfigurationReloaded(logger);
            return errors;
        }
    }

    public void Dispose() => _registration?.Dispose();
}
