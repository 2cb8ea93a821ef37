using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Handlers.Exec;

/// <summary><c>Exec</c>: the acpid-style rules of the <see cref="ExecHandler"/>; reloadable on SIGHUP.</summary>
internal sealed class ExecOptions
{
    public const string SectionName = "Exec";
    public const int DefaultMaxConcurrency = 4;
    public const int MaxMaxConcurrency = 256;

    /// <summary>Gets or sets how many rule programs may run at once, over all rules; further events wait in the handler's queue.</summary>
    [Range(1, MaxMaxConcurrency)]
    public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

    /// <summary>Gets or sets the rules, tried in order; every rule that matches an event runs.</summary>
    [ValidateEnumeratedItems]
    [SuppressMessage("Usage", "CA2227:Collection properties should be read only", Justification = "Bound from configuration.")]
    public List<ExecRuleOptions> Rules { get; set; } = [];
}

/// <summary>One rule of <c>Exec:Rules</c>: which events, and which program to run for them.</summary>
[SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Bound from configuration.")]
internal sealed class ExecRuleOptions : IValidatableObject
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the rule's name: <c>EFD_RULE</c> for the program and <c>EXEC_RULE</c> in the journal.</summary>
    [Required]
    public string? Name { get; set; }

    /// <summary>Gets or sets the kinds the rule applies to (built-in names, registered kinds' names such as <c>usb.device</c>, <c>USER_0x1234</c> or numbers); at least one.</summary>
    public string[]? Kinds { get; set; }

    /// <summary>Gets or sets conditions on payload fields; all given ones must hold.</summary>
    public ExecMatchOptions? Match { get; set; }

    /// <summary>Gets or sets the absolute path of the program to run: executed directly, never through a shell.</summary>
    [Required]
    public string? Program { get; set; }

    /// <summary>Gets or sets the program's arguments, passed verbatim: event data is only in the environment.</summary>
    public string[]? Arguments { get; set; }

    /// <summary>Gets or sets how long the program may run before its whole process group is killed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Gets or sets the user to run the program as (name or uid); root when absent.</summary>
    public string? User { get; set; }

    /// <summary>Gets or sets the group to run the program as (name or gid); the user's primary group when absent.</summary>
    public string? Group { get; set; }

    /// <summary>
    /// Gets or sets whether to skip events redelivered after a crash (<c>EFD_REDELIVERED=1</c>): for an
    /// action that must not run twice. Such an event may then have been missed instead.
    /// </summary>
    public bool SkipRedelivered { get; set; }

    /// <summary>
    /// Gets or sets whether acpid's event string (<c>EFD_ACPID_EVENT</c>) is appended to <see cref="Arguments"/>
    /// token by token, as acpid's <c>%e</c> handed it to the shell, so that an <c>/etc/acpi/*.sh</c> script
    /// reads it as <c>$1</c>…<c>$4</c>. The rule then runs only for events acpid would emit.
    /// </summary>
    public bool AcpidArguments { get; set; }

    /// <summary>Checks what attributes cannot: kinds, field conditions, the program, the user and group.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var errors = new List<string>();
        _ = ExecRule.TryCreate(this, errors);
        return errors.Select(e => new ValidationResult(e));
    }
}

/// <summary>Payload conditions of a rule; an absent condition matches anything, and every given one must hold.</summary>
internal sealed class ExecMatchOptions
{
    /// <summary>
    /// Gets or sets conditions on payload fields by name (any kind, built-in or registered): an integer
    /// field takes a number, a range <c>N..M</c> (<c>..M</c>, <c>N..</c>) or a value's name (<c>UP</c>);
    /// any other field a glob on its text (<c>eth*</c>, <c>192.0.2.*</c>).
    /// </summary>
    [SuppressMessage("Usage", "CA2227:Collection properties should be read only", Justification = "Bound from configuration.")]
    public Dictionary<string, string?>? Fields { get; set; }

    /// <summary>
    /// Gets or sets acpid's <c>event=</c>: an extended regular expression searched in acpid's event string
    /// (<c>^button/power </c>, <c>ac_adapter</c>); only events acpid would emit have one.
    /// </summary>
    public string? Acpid { get; set; }

    /// <summary>Gets or sets a glob (<c>*</c>, <c>?</c>, <c>[a-z]</c>, <c>[!0-9]</c>) on the interface name of NETDEV events: <c>Fields:ifname</c>.</summary>
    public string? Interface { get; set; }

    /// <summary>Gets or sets the netdev notifier event: <c>UP</c>, <c>DOWN</c>, <c>CHANGE</c> or a number: <c>Fields:event</c> of NETDEV.</summary>
    public string? NetdevEvent { get; set; }

    /// <summary>Gets or sets a glob on the module name of MODULE events: <c>Fields:name</c> of MODULE.</summary>
    public string? Module { get; set; }

    /// <summary>Gets or sets the module state: <c>LIVE</c>, <c>COMING</c>, <c>GOING</c> or a number: <c>Fields:state</c> of MODULE.</summary>
    public string? ModuleState { get; set; }
}

[OptionsValidator]
internal sealed partial class ExecOptionsValidator : IValidateOptions<ExecOptions>;
