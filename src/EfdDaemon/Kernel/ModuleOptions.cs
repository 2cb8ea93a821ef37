using System.ComponentModel.DataAnnotations;
using System.Numerics;
using Microsoft.Extensions.Options;

namespace EfdDaemon.Kernel;

/// <summary><c>Module</c>: how the daemon loads and attaches efd_lkm. Paths are settable so tests can fake them.</summary>
internal sealed class ModuleOptions : IValidatableObject
{
    public const string SectionName = "Module";
    public const string DefaultName = "efd_lkm";
    public const string DefaultModprobe = InstalledLayout.Modprobe;
    public const string DefaultSysfsPath = Sysfs.ModuleSysfs.DefaultDirectory;
    public const string DefaultDevicePath = Sysfs.ModuleSysfs.DefaultDevicePath;
    public const int DefaultRingSize = 8192; // the module's own default
    public const int MinRingSize = 2;      // efd_lkm's own bounds (kernel/README.md)
    public const int MaxRingSize = 65536;

    public bool Enabled { get; set; } = true;

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9_-]+$")]
    public string Name { get; set; } = DefaultName;

    [Required(AllowEmptyStrings = false)]
    public string Modprobe { get; set; } = DefaultModprobe;

    [Required(AllowEmptyStrings = false)]
    public string SysfsPath { get; set; } = DefaultSysfsPath;

    [Required(AllowEmptyStrings = false)]
    public string DevicePath { get; set; } = DefaultDevicePath;

    /// <summary>The module's writable parameters; empty means <c>/sys/module/&lt;Name&gt;/parameters</c>.</summary>
    public string ParametersPath { get; set; } = "";

    public bool Netdev { get; set; }

    public bool Modules { get; set; }

    /// <summary>The module's <c>input</c> source: system keys (power button, sleep, …) and switches (lid, dock, …), never other keys.</summary>
    public bool Input { get; set; }

    /// <summary>The module's <c>power</c> source: power supplies (AC adapters, batteries, USB power) changing.</summary>
    public bool Power { get; set; }

    [Range(0, 3_600_000)]
    public int TickMs { get; set; }

    [Range(MinRingSize, MaxRingSize)]
    public int RingSize { get; set; } = DefaultRingSize;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RingSize > 0 && !BitOperations.IsPow2(RingSize))
        {
            yield return new ValidationResult($"RingSize must be a power of two; {RingSize} is not.", [nameof(RingSize)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class ModuleOptionsValidator : IValidateOptions<ModuleOptions>;
