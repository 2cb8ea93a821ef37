using EfdDaemon.Configuration;
using EfdDaemon.Control;
using EfdDaemon.Events;
using EfdDaemon.Handlers;
using EfdDaemon.Handlers.Exec;
using EfdDaemon.Kernel;
using EfdDaemon.Logging;
using EfdDaemon.Metrics;
using EfdDaemon.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EfdDaemon.Hosting;

/// <summary>Builds the daemon's host. Integration tests call <see cref="CreateBuilder(string[])"/>, add handlers or fakes, and run it in-process.</summary>
internal static class EfdHost
{
    /// <summary>Extra time the host grants StopAsync beyond <c>Daemon:ShutdownTimeout</c> (stop reader, log, remove files).</summary>
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(5);

    public static HostApplicationBuilder CreateBuilder(string[] args) => CreateBuilder(EfdCommandLine.Parse(args));

    public static HostApplicationBuilder CreateBuilder(EfdCommandLine commandLine)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "efd-daemon",
            ContentRootPath = AppContext.BaseDirectory,
        });
        EfdConfiguration.AddSources(builder.Configuration, commandLine);
        IServiceCollection services = builder.Services;
        services.AddEfdLogging(builder.Configuration);
        services.AddEfdMetrics();
        services.AddEfdEvents();
        services.AddEfdKernelModule(builder.Configuration);
        services.AddEfdDaemon(builder.Configuration, Path.GetFullPath(commandLine.ConfigDirectory));
        services.AddEfdControlServer();
        services.AddEfdLogHandler(builder.Configuration);
        services.AddEfdSystemd();
        services.AddEfdUnknownKeyWarnings();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ReadShutdownTimeout(builder.Configuration) + StopMargin);

        // After the built-in handlers: the exec handler, then the plugins' handlers (Plugins/, Handlers/Exec/).
        services.AddEfdExecHandler(builder.Configuration);
        services.AddEfdPlugins(builder.Configuration);

        // Last of the reloadables: it checks the kinds every other one applied.
        services.AddSingleton<KindNameCheck>();
        services.AddSingleton<IConfigReloadable>(sp => sp.GetRequiredService<KindNameCheck>());
        return builder;
    }

    private static TimeSpan ReadShutdownTimeout(ConfigurationManager configuration) =>
        TimeSpan.TryParse(configuration["Daemon:ShutdownTimeout"], System.Globalization.CultureInfo.InvariantCulture, out TimeSpan t) && t >= TimeSpan.Zero
            ? t
            : DaemonOptions.DefaultShutdownTimeout;
}
