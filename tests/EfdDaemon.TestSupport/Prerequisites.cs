using Xunit.Abstractions;
using Xunit.Sdk;

namespace EfdDaemon.TestSupport;

/// <summary>
/// The one policy for a missing prerequisite (a tool such as gcc, running as root, a built daemon):
/// under CI (<c>CI=true</c>) the test fails with the reason, never passes silently; elsewhere it is
/// skipped with the reason. tests/README.md states it.
/// </summary>
/// <remarks>
/// Declare a prerequisite with an attribute that derives from <see cref="PrerequisiteFactAttribute"/>
/// (<see cref="RequiresRootFactAttribute"/>, <see cref="RequiresToolFactAttribute"/>,
/// <see cref="RequiresEfdDaemonFactAttribute"/>, …): it is checked when the tests are discovered.
/// Inside a test, <see cref="Require"/> and <see cref="Tool"/> fail with the reason (xunit 2 cannot
/// skip a test that has started), so a test that calls them should also carry the attribute.
/// </remarks>
public static class Prerequisites
{
    /// <summary>Gets a value indicating whether this is a CI run (<c>CI=true</c>, as .ci/run sets it).</summary>
    public static bool UnderCi { get; } = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns why this process cannot do what needs root, or null when it runs as root.</summary>
    public static string? Root(string why) =>
        Native.IsRoot ? null : $"needs root (CI runs as root): {why}";

    /// <summary>Returns why <paramref name="name"/> cannot be used, or null when it is on PATH.</summary>
    public static string? MissingTool(string name, string package) =>
        FindTool(name) is null ? $"needs '{name}' on PATH (Debian package {package})" : null;

    /// <summary>Returns why the daemon cannot be started as a child process, or null when it was built with the tests.</summary>
    public static string? EfdDaemon() =>
        DaemonProcess.Dll is null ? "efd-daemon.dll was not built with the tests (EfdDaemonDll assembly metadata missing or the file is absent)" : null;

    /// <summary>Fails the running test with <paramref name="missing"/> unless it is null.</summary>
    public static void Require(string? missing)
    {
        if (missing is not null)
        {
            Assert.Fail(Describe(missing));
        }
    }

    /// <summary>Returns the path of <paramref name="name"/> on PATH; fails the running test, with the package to install, when it is not there.</summary>
    public static string Tool(string name, string package)
    {
        Require(MissingTool(name, package));
        return FindTool(name)!;
    }

    internal static string Describe(string missing) => UnderCi
        ? $"Missing prerequisite under CI (CI=true), where a test may not skip: {missing}"
        : $"Missing prerequisite: {missing}";

    private static string? FindTool(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}

/// <summary>
/// A fact with a prerequisite, checked at discovery: met, the test runs; missing, it is skipped with
/// the reason, or under CI reported as failed with the reason (<see cref="Prerequisites"/>).
/// </summary>
[XunitTestCaseDiscoverer("EfdDaemon.TestSupport.PrerequisiteFactDiscoverer", "EfdDaemon.TestSupport")]
[AttributeUsage(AttributeTargets.Method)]
public abstract class PrerequisiteFactAttribute : FactAttribute
{
    /// <param name="missing">Why the test cannot run here, or null when it can.</param>
    protected PrerequisiteFactAttribute(string? missing)
    {
        Missing = missing;
        if (missing is not null && !Prerequisites.UnderCi)
        {
            Skip = missing;
        }
    }

    /// <summary>Gets why the test cannot run here, or null when it can.</summary>
    public string? Missing { get; }
}

/// <summary>Discovers <see cref="PrerequisiteFactAttribute"/> tests: under CI a missing prerequisite becomes a failing test case that says why.</summary>
public sealed class PrerequisiteFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        if (Prerequisites.UnderCi && factAttribute is IReflectionAttributeInfo { Attribute: PrerequisiteFactAttribute { Missing: { } missing } })
        {
            return [new ExecutionErrorTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, Prerequisites.Describe(missing))];
        }

        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }
}

/// <summary>A test that needs root; <paramref name="why"/> says what for.</summary>
public sealed class RequiresRootFactAttribute(string why) : PrerequisiteFactAttribute(Prerequisites.Root(why));

/// <summary>A test that needs <paramref name="name"/> on PATH, from Debian package <paramref name="package"/>.</summary>
public sealed class RequiresToolFactAttribute(string name, string package) : PrerequisiteFactAttribute(Prerequisites.MissingTool(name, package));

/// <summary>A test against the real efd-daemon built with these tests, run as a child process (<see cref="DaemonProcess"/>).</summary>
public sealed class RequiresEfdDaemonFactAttribute() : PrerequisiteFactAttribute(Prerequisites.EfdDaemon());
