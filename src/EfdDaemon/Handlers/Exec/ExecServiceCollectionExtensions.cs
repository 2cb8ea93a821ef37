using EfdDaemon.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Handlers.Exec;

/// <summary>Registers the built-in <see cref="ExecHandler"/>.</summary>
internal static class ExecServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ExecHandler"/> with the rules of <c>Exec</c>, validated at start and re-read on reload.</summary>
    /// <remarks>
    /// The options are bound with <c>Configure</c>, not <c>Bind</c>, on purpose: <c>Bind</c> would make the
    /// options monitor re-validate on every reload and throw an <see cref="OptionsValidationException"/>
    /// out of the configuration's reload for an invalid file. <see cref="ExecRulesReload"/> validates the
    /// new section with the same generated validator, through the daemon's all-or-nothing SIGHUP reload.
    /// </remarks>
    public static IServiceCollection AddEfdExecHandler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExecOptions>()
            .Configure(o => configuration.GetSection(ExecOptions.SectionName).Bind(o))
            .ValidateOnStart();
        services.AddKnownConfigurationSection<ExecOptions>(ExecOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExecOptions>, ExecRulesStartupValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ExecHandler(
            ExecRuleSet.Read(configuration, out IReadOnlyList<string> errors) ?? throw new OptionsValidationException(ExecOptions.SectionName, typeof(ExecOptions), errors),
            sp.GetRequiredService<ILogger<ExecHandler>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventHandler, ExecHandler>(sp => sp.GetRequiredService<ExecHandler>()));
        services.AddSingleton<IConfigReloadable, ExecRulesReload>();
        return services;
    }

    /// <summary>The start-up check (and <c>--check-config</c>): the generated validator plus the rule checks and unique names.</summary>
    private sealed class ExecRulesStartupValidator : IValidateOptions<ExecOptions>
    {
        public ValidateOptionsResult Validate(string? name, ExecOptions options) =>
            ExecRuleSet.From(options, out IReadOnlyList<string> errors) is null
                ? ValidateOptionsResult.Fail(errors)
                : ValidateOptionsResult.Success;
    }
}
