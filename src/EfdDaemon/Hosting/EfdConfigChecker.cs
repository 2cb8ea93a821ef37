using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using EfdDaemon.Configuration;
using EfdDaemon.Events;

namespace EfdDaemon.Hosting;

/// <summary>Binds and validates every options class registered with <c>ValidateOnStart()</c>, plus <c>Handlers:*</c>, without starting anything.</summary>
internal static class EfdConfigChecker
{
    /// <summary>Returns one line per problem; empty when the configuration is valid.</summary>
    public static IReadOnlyList<string> Check(IServiceProvider services)
    {
        var errors = new List<string>();
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            errors.AddRange(Describe(ex, services));
        }
        catch (AggregateException ex)
        {
            foreach (Exception inner in ex.InnerExceptions)
            {
                errors.AddRange(inner is OptionsValidationException o ? Describe(o, services) : [inner.Message]);
            }
        }
        catch (InvalidOperationException ex)
        {
            // Binding failures: "Failed to convert configuration value at 'Daemon:EventfdMode' to type …".
            errors.Add(ex.Message);
        }

        HandlerSettingsReader.Read(services.GetRequiredService<IConfiguration>(), out IReadOnlyList<string> handlerErrors);
        errors.AddRange(handlerErrors);
        return errors;
    }

    private static IEnumerable<string> Describe(OptionsValidationException ex, IServiceProvider services)
    {
        string section = services.GetServices<KnownConfigurationSection>().FirstOrDefault(s => s.OptionsType == ex.OptionsType)?.Path
            ?? (ex.OptionsType.Name.EndsWith("Options", StringComparison.Ordinal)
            ? ex.OptionsType.Name[..^"Options".Length]
            : ex.OptionsType.Name);
        return ex.Failures.Select(f => $"{section}: {f}");
    }
}
