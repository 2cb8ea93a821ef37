using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Handlers.Exec;

/// <summary>A validated <c>Exec</c> section: the rules in order and the concurrency limit.</summary>
internal sealed class ExecRuleSet
{
    public static readonly ExecRuleSet Empty = new([], ExecOptions.DefaultMaxConcurrency);

    private static readonly ExecOptionsValidator Validator = new();

    public ExecRuleSet(IReadOnlyList<ExecRule> rules, int maxConcurrency)
    {
        Rules = rules;
        MaxConcurrency = maxConcurrency;
        Kinds = [.. rules.SelectMany(r => r.Kinds).Distinct().Order()];
        RegisteredKinds = [.. rules.SelectMany(r => r.RegisteredKinds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<ExecRule> Rules { get; }

    public int MaxConcurrency { get; }

    /// <summary>Gets the kinds any rule wants: what the handler asks the dispatcher for.</summary>
    public IReadOnlyList<EventKind> Kinds { get; }

    /// <summary>Gets the names of registered kinds any rule wants.</summary>
    public IReadOnlyList<string> RegisteredKinds { get; }

    /// <summary>Binds and validates the <c>Exec</c> section (at start and on SIGHUP).</summary>
    /// <returns>The rules, or <see langword="null"/> and one line per problem.</returns>
    public static ExecRuleSet? Read(IConfiguration configuration, out IReadOnlyList<string> errors)
    {
        var options = new ExecOptions();
        try
        {
            configuration.GetSection(ExecOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            errors = [$"{ExecOptions.SectionName}: {ex.Message}"];
            return null;
        }

        return From(options, out errors);
    }

    /// <summary>Validates <paramref name="options"/> with the generated validator (attributes and <see cref="ExecRuleOptions.Validate"/>) and compiles the rules.</summary>
    public static ExecRuleSet? From(ExecOptions options, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        ValidateOptionsResult result = Validator.Validate(null, options);
        if (result.Failed)
        {
            problems.AddRange(result.Failures);
        }

        foreach (IGrouping<string, ExecRuleOptions> duplicate in options.Rules
            .Where(r => !string.IsNullOrWhiteSpace(r.Name))
            .GroupBy(r => r.Name!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1))
        {
            problems.Add($"Exec rule {duplicate.Key}: the name is used by {duplicate.Count()} rules; names must be unique");
        }

        var rules = new List<ExecRule>(options.Rules.Count);
        if (problems.Count == 0)
        {
            foreach (ExecRuleOptions rule in options.Rules)
            {
                rules.Add(ExecRule.TryCreate(rule, problems)!);
            }
        }

        errors = problems;
        return problems.Count == 0 ? new ExecRuleSet(rules, options.MaxConcurrency) : null;
    }
}
