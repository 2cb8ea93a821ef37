using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace EfdCtl.Cli;

/// <summary><c>--version</c>: <c>efdctl 1.2.3</c>, the product version without the source revision.</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public static string Text
    {
        get
        {
            string? v = typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            int plus = v?.IndexOf('+', StringComparison.Ordinal) ?? -1;
            return "efdctl " + (plus > 0 ? v![..plus] : v ?? "unknown");
        }
    }

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Text);
        return ExitCodes.Ok;
    }
}
