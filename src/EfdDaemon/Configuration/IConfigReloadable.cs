using Microsoft.Extensions.Configuration;

namespace EfdDaemon.Configuration;

/// <summary>
/// Something SIGHUP re-applies (handler settings, the log handler's threshold, exec rules). On
/// SIGHUP the configuration is reloaded, every registered reloadable validates it, and only when
/// all accept it does each <see cref="Apply"/>; otherwise all keep their old settings.
/// </summary>
/// <remarks>Register with <c>services.AddSingleton&lt;IConfigReloadable, T&gt;()</c>.</remarks>
internal interface IConfigReloadable
{
    /// <summary>Returns the problems with <paramref name="configuration"/>, one line each; empty when it can be applied.</summary>
    IReadOnlyList<string> Validate(IConfiguration configuration);

    /// <summary>Applies <paramref name="configuration"/>, already validated.</summary>
    void Apply(IConfiguration configuration);
}
