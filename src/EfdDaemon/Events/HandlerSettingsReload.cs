using EfdDaemon.Configuration;
using EfdDaemon.Events;
using Microsoft.Extensions.Configuration;

namespace EfdDaemon.Events;

/// <summary>Re-applies <c>Handlers:*</c> to the dispatcher on SIGHUP.</summary>
internal sealed class HandlerSettingsReload(EventDispatcher dispatcher) : IConfigReloadable
{
    public IReadOnlyList<string> Validate(IConfiguration configuration)
    {
        HandlerSettingsReader.Read(configuration, out IReadOnlyList<string> errors);
        return errors;
    }

    public void Apply(IConfiguration configuration) =>
        dispatcher.Apply(HandlerSettingsReader.Read(configuration, out _) ?? throw new InvalidOperationException("Apply after a failed Validate."));
}
