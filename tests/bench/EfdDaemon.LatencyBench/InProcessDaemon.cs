using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EfdDaemon.LatencyBench;

/// <summary>
/// efd-daemon's own host (<c>EfdProgram.RunAsync</c>, what <c>Main</c> runs) started in this process
/// with extra handlers registered, as the daemon's integration tests do: configuration, options,
/// logging, the reader, the dispatcher, the control socket and the run files are all the real ones.
/// </summary>
/// <remarks>
/// Reflection finds the internal entry point once; nothing on the measured path goes through it.
/// The module is off (<c>Module:Enabled=false</c>): every wake-up becomes one
/// <see cref="EventKind.Signal"/> event, which is what the benchmarks signal.
/// </remarks>
internal sealed class InProcessDaemon : IDisposable
{
    private readonly Task<int> _run;
    private IHostApplicationLifetime? _lifetime;

    public InProcessDaemon(string directory, bool semaphore, IReadOnlyList<IEventHandler> handlers, params string[] extraArgs)
    {
        RunDirectory = Path.Combine(directory, "run");
        string configDir = Path.Combine(directory, "etc");
        string plugins = Path.Combine(directory, "no-plugins");
        Directory.CreateDirectory(configDir);
        Directory.CreateDirectory(plugins);
        string[] args =
        [
            "--config-dir", configDir,
            "--Module:Enabled=false",
            $"--Daemon:RunDirectory={RunDirectory}",
            $"--Daemon:EventfdMode={(semaphore ? "Semaphore" : "Counter")}",
            $"--Daemon:PluginDirectories:0={plugins}",
            "--Handlers:LogHandler:Enabled=false",
            "--Logging:Journal=Off",
            "--Logging:MinimumLevel=Warning",
            .. extraArgs,
        ];
        Action<HostApplicationBuilder> configure = builder =>
        {
            foreach (IEventHandler h in handlers)
            {
                builder.Services.AddSingleton(h);
            }

            builder.Services.AddHostedService<LifetimeProbe>(sp => new LifetimeProbe(this, sp.GetRequiredService<IHostApplicationLifetime>()));
        };
        MethodInfo runAsync = Assembly.Load("efd-daemon").GetType("EfdDaemon.Hosting.EfdProgram", throwOnError: true)!
            .GetMethod("RunAsync", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!;
        object?[] callArgs = new object?[runAsync.GetParameters().Length];
        callArgs[0] = args;
        callArgs[1] = configure;
        _run = (Task<int>)runAsync.Invoke(null, callArgs)!;
        EventfdNumber = WaitRunFile("efd");
        _ = WaitRunFile("pid");
    }

    /// <summary>Gets the daemon's run directory (<c>pid</c>, <c>efd</c>, <c>control.sock</c>).</summary>
    public string RunDirectory { get; }

    /// <summary>Gets this process's descriptor of the daemon's eventfd, read from the run file <c>efd</c>.</summary>
    public int EventfdNumber { get; }

    public void Dispose()
    {
        _lifetime?.StopApplication();
        if (!_run.Wait(TimeSpan.FromSeconds(20)))
        {
            Console.Error.WriteLine("efd-daemon did not stop within 20 s");
        }
    }

    private int WaitRunFile(string name)
    {
        string path = Path.Combine(RunDirectory, name);
        var sw = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (_run.IsCompleted)
            {
                throw new InvalidOperationException($"efd-daemon exited with {(_run.IsCompletedSuccessfully ? _run.Result.ToString(CultureInfo.InvariantCulture) : _run.Exception?.GetBaseException().Message)} before writing {path}");
            }

            if (sw.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"efd-daemon did not write {path} within 30 s");
            }

            Thread.Sleep(5);
        }

        return int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Hands the host's lifetime to the benchmark so that it can stop the daemon.</summary>
    private sealed class LifetimeProbe(InProcessDaemon owner, IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            owner._lifetime = lifetime;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
