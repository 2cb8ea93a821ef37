
using EfdDaemon.Configuration;

namespace EfdDaemon.Tests.Hosting;

public sealed class EfdCommandLineTests
{
    [Fact]
    public void TheConfigDirectoryComesFromTheFlagThenTheEnvironmentThenTheDefault()
    {
        Assert.Equal("/etc/efd-daemon", EfdCommandLine.Parse([], _ => null).ConfigDirectory);
        Assert.Equal("/env", EfdCommandLine.Parse([], n => n == "EFD_CONFIG_DIR" ? "/env" : null).ConfigDirectory);
        Assert.Equal("/flag", EfdCommandLine.Parse(["--config-dir", "/flag"], _ => "/env").ConfigDirectory);
        Assert.Equal("/eq", EfdCommandLine.Parse(["--config-dir=/eq"], _ => null).ConfigDirectory);
    }

    [Fact]
    public void CheckConfigTakesAnOptionalFileAndOverridesPassThrough()
    {
        EfdCommandLine withFile = EfdCommandLine.Parse(["--check-config", "/tmp/x.json", "--Daemon:EventfdMode=Semaphore"], _ => null);
        EfdCommandLine withoutFile = EfdCommandLine.Parse(["--check-config", "--Module:Enabled=false"], _ => null);

        Assert.True(withFile.CheckConfig);
        Assert.Equal("/tmp/x.json", withFile.CheckConfigFile);
        Assert.Equal(["--Daemon:EventfdMode=Semaphore"], withFile.ConfigurationArgs);
        Assert.True(withoutFile.CheckConfig);
        Assert.Null(withoutFile.CheckConfigFile);
        Assert.Equal(["--Module:Enabled=false"], withoutFile.ConfigurationArgs);
    }

    [Theory]
    [InlineData("--config-dir")]
    [InlineData("stray")]
    [InlineData("--Daemon:RunDirectory")]
    public void MalformedArgumentsAreRejected(string arg) =>
        Assert.Throws<ArgumentException>(() => EfdCommandLine.Parse([arg], _ => null));
}
