using System.Diagnostics;
using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

/// <summary>deploy/bash-completion/efdctl, sourced into a real bash, asking the built efdctl for candidates.</summary>
public sealed class BashCompletionTests
{
    [Theory]
    [InlineData("efdctl st", new[] { "status" })]
    [InlineData("efdctl ", new[] { "check-config", "help", "listen", "signal", "status" })]
    [InlineData("efdctl --run-dir /tmp s", new[] { "signal", "status" })]
    [InlineData("efdctl listen --k", new[] { "--kind" })]
    [InlineData("efdctl listen --kind ", new[] { "ATTACHED", "CPU", "IFADDR", "INPUT", "KIND", "MODULE", "NETDEV", "PM", "POWER", "SIGNAL", "TICK", "TRIGGER" })]
    [InlineData("efdctl listen --kind N", new[] { "NETDEV" })]
    [InlineData("efdctl listen --kind=N", new[] { "NETDEV" })]
    [InlineData("efdctl --run-dir=/tmp st", new[] { "status" })]
    [InlineData("efdctl status --", new[] { "--help", "--json", "--run-dir", "--sysfs" })]
    public async Task CompletionOffersWhatEfdctlItselfSuggests(string line, string[] expected)
    {
        Assert.Equal(expected, await CompleteAsync(line));
    }

    [Theory]
    [InlineData("efdctl check-config ")]
    [InlineData("efdctl --run-dir ")]
    public async Task CompletionOffersNothingOfItsOwnForAFileOrDirectorySoBashCompletesFileNames(string line)
    {
        Assert.Empty(await CompleteAsync(line));
    }

    /// <summary>Runs the completion function for <paramref name="line"/> with the cursor at its end, as bash does on TAB.</summary>
    private static async Task<string[]> CompleteAsync(string line)
    {
        const string Script = """
            source "$1"
            dotnet=$2 dll=$3
            efdctl() { "$dotnet" "$dll" "$@"; }
            COMP_LINE=$4
            COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<<"${COMP_LINE//=/ = }" # bash's COMP_WORDBREAKS splits at '='
            [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            _efdctl
            [ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}"
            """;
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-c", Script, "bash", RepositoryFile.Combine("deploy", "bash-completion", "efdctl"), EfdctlProcess.Dotnet, EfdctlProcess.Dll, line })
        {
            start.ArgumentList.Add(a);
        }

        using Process bash = Process.Start(start)!;
        Task<string> stdout = bash.StandardOutput.ReadToEndAsync();
        Task<string> stderr = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(bash.ExitCode == 0, $"bash exited {bash.ExitCode}: {await stderr}");
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
