using EfdDaemon.Configuration;
using EfdDaemon.Kernel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Events;

/// <summary>
/// Warns (3013) about each configured name of a registered kind that no module has registered:
/// accepted, since its module may load later, and matched from the moment it registers; but a typo
/// should not wait silently. Runs at start once the catalogue is read, and after every reload.
/// </summary>
/// <remarks>Registered after every other <see cref="IConfigReloadable"/>, so it sees the kinds they applied.</remarks>
internal sealed class KindNameCheck(KindCatalog catalog, EventDispatcher dispatcher, ILogger<KindNameCheck> logger) : IConfigReloadable
{
    public IReadOnlyList<string> Validate(IConfiguration configuration) => [];

    public void Apply(IConfiguration configuration) => Check();

    public void Check()
    {
        List<string> known = [.. catalog.Registered.Select(f => f.Name).Distinct(StringComparer.Ordinal)];
        foreach (HandlerSnapshot handler in dispatcher.Snapshot())
        {
            foreach (string name in handler.Settings.Kinds.Names)
            {
                if (!catalog.TryGetByName(name, out _))
                {
                    string? nearest = EditDistance.Nearest(name, known);
                    bool close = nearest is not null && EditDistance.Between(name, nearest) <= Math.Max(2, name.Length / 4);
                    Log.KindNotRegisteredYet(logger, $"handler {handler.Name}", name, close ? $" (did you mean {nearest}?)" : "");
                }
            }
        }
    }
}
