using System.Reflection;

namespace EfdDaemon;

/// <summary>Who this daemon is, for the status reply and the start-up line.</summary>
internal sealed class DaemonInfo(string configDirectory, TimeProvider time)
{
    public int Pid { get; } = Environment.ProcessId;

    public string Version { get; } = GetVersion();

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public string ConfigDirectory { get; } = configDirectory;

    public static string GetVersion() =>
        typeof(DaemonInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(DaemonInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
