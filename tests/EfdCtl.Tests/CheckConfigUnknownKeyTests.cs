using EfdCtl.Tests.Fakes;

namespace EfdCtl.Tests;

/// <summary><c>efdctl check-config</c> with the real daemon behind it: a misspelt key fails the check, named with its file and the nearest known key.</summary>
public sealed class CheckConfigUnknownKeyTests
{
    [RequiresEfdDaemonFact]
    public async Task AMisspeltKeyIsReportedWithItsFileAndTheNearestKnownKeyAndExitsFive()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("typo.json", """{ "Module": { "Netdv": true } }""");
        string daemonHost = dir.Write("efd-daemon", $"#!/bin/sh\nexec \"{EfdctlProcess.Dotnet}\" \"{DaemonProcess.Dll}\" \"$@\"\n");
        File.SetUnixFileMode(daemonHost, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        CtlResult r = await Ctl.RunAsync(["check-config", file], new Dictionary<string, string> { ["EFD_DAEMON"] = daemonHost }, CancellationToken.None);

        Assert.Equal(ExitCodes.InvalidConfiguration, r.ExitCode);
        Assert.Contains($"{file}: unknown key 'Module:Netdv' (did you mean 'Module:Netdev'?)\n", r.Error, StringComparison.Ordinal);
    }
}
