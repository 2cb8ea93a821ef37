using EfdDaemon.Configuration;
using EfdDaemon.Events;
using Microsoft.Extensions.Configuration;

namespace EfdDaemon.Handlers.Exec;

/// <summary>Re-reads <c>Exec</c> on SIGHUP: validated with the other reloadables, applied only when all accept.</summary>
/// <remarks>
/// The handler's kinds follow its rules, and the dispatcher filters by kind: when they change, the
/// dispatcher's settings are re-resolved after the new rules are in place (the handler-settings
/// reload ran earlier in the same SIGHUP and saw the old kinds).
/// </remarks>
internal sealed class ExecRulesReload(ExecHandler handler, EventDispatcher dispatcher) : IConfigReloadable
{
    public IReadOnlyList<string> Validate(IConfiguration configuration)
    {
        ExecRuleSet.Read(configuration, out IReadOnlyList<string> errors);
        return errors;
    }

    public void Apply(IConfiguration configuration)
    {
        ExecRuleSet rules = ExecRuleSet.Read(configuration, out _) ?? throw new InvalidOperationException("Apply after a failed Validate.");
        bool kindsChanged = !handler.Rules.Kinds.SequenceEqual(rules.Kinds) || !handler.Rules.RegisteredKinds.SequenceEqual(rules.RegisteredKinds);
        handler.Apply(rules);
        if (kindsChanged && HandlerSettingsReader.Read(configuration, out _) is { } settings)
        {
            dispatcher.Apply(settings);
        }
    }
}
