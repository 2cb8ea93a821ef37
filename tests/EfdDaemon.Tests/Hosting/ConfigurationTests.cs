using EfdDaemon.Hosting;
using EfdDaemon.TestSupport;

namespace EfdDaemon.Tests.Hosting;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("--Daemon:ShutdownTimeout=-00:00:01", "Daemon:")]
    [InlineData("--Daemon:EventfdMode=Sometimes", "Daemon:EventfdMode")]
    [InlineData("--Module:RingSize=1000", "RingSize must be a power of two")]
    [InlineData("--Handlers:LogHandler:Kinds:0=BOGUS", "Handlers:LogHandler:Kinds: 'BOGUS' is not an event kind")]
    [InlineData("--Handlers:LogHandler:QueueCapacity=0", "Handlers:LogHandler")]
    [InlineData("--Daemon:MaxControlConnections=0", "Daemon: MaxControlConnections: The field ControlSocketOptions.MaxControlConnections must be between 1 and 4096")]
    [InlineData("--Daemon:ControlIdleTimeout=00:00:00", "Daemon: ControlIdleTimeout: ")]
    public async Task InvalidConfigurationExitsOneWithItsMessageBeforeCreatingTheRunDirectory(string setting, string expected)
    {
        using var dir = new TempDirectory();
        string run = dir.Combine("run");
        var stderr = new StringWriter();

        int code = await EfdProgram.RunAsync(["--config-dir", dir.Path, $"--Daemon:RunDirectory={run}", "--Module:Enabled=false", setting], stderr: stderr);

        Assert.Equal(1, code);
        string message = stderr.ToString();
        Assert.StartsWith("efd-daemon: invalid configuration: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Single(message.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public async Task CheckConfigReadsTheFileAloneAndSaysConfigOk()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("candidate.json");
        await File.WriteAllTextAsync(file, """
            {
              // comments are allowed, as in the shipped file
              "Daemon": { "EventfdMode": "Semaphore" },
              "Handlers": { "LogHandler": { "Kinds": ["TRIGGER", "USER_0x1234"], "FullQueuePolicy": "DropNewest" } }
            }
            """);
        var stdout = new StringWriter();

        int code = await EfdProgram.RunAsync(["--check-config", file], stdout: stdout);

        Assert.Equal(0, code);
        Assert.Equal("config ok\n", stdout.ToString());
    }

    [Fact]
    public async Task TheShippedAcpidExampleIsAValidDropIn()
    {
        using var dir = new TempDirectory();
        string example = await File.ReadAllTextAsync(Repository.Combine("deploy", "config", "examples", "acpid.json"));
        foreach (string program in (string[])["/usr/bin/systemctl", "/usr/bin/logger"])
        {
            Assert.Contains($"\"Program\": \"{program}\"", example, StringComparison.Ordinal);
            if (!File.Exists(program))
            {
                example = example.Replace(program, "/bin/true", StringComparison.Ordinal); // a machine without systemd: check the rest
            }
        }

        string file = dir.Combine("50-acpid.json");
        await File.WriteAllTextAsync(file, example);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = await EfdProgram.RunAsync(["--check-config", file], stdout: stdout, stderr: stderr);

        Assert.Equal("", stderr.ToString());
        Assert.Equal((0, "config ok\n"), (code, stdout.ToString()));
    }

    [Fact]
    public async Task CheckConfigPrintsOneLinePerProblem()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("bad.json");
        await File.WriteAllTextAsync(file, """{ "Module": { "RingSize": 3 }, "Handlers": { "X": { "Kinds": ["NOPE"] } } }""");
        var stderr = new StringWriter();

        int code = await EfdProgram.RunAsync(["--check-config", file], stderr: stderr);

        Assert.Equal(1, code);
        string[] lines = stderr.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("Module: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Handlers:X:Kinds", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{file}: 'Handlers:X' matches no handler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConfDropInsOverrideTheMainFileInNameOrderAndTheCommandLineOverridesAll()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("conf.d"));
        await File.WriteAllTextAsync(dir.Combine("efd-daemon.json"), """{ "Daemon": { "EventfdMode": "Semaphore", "ShutdownTimeout": "00:00:01" } }""");
        await File.WriteAllTextAsync(dir.Combine("conf.d", "20-b.json"), """{ "Daemon": { "ShutdownTimeout": "00:00:03" } }""");
        await File.WriteAllTextAsync(dir.Combine("conf.d", "10-a.json"), """{ "Daemon": { "ShutdownTimeout": "00:00:02", "RunDirectory": "/x" } }""");

        var builder = EfdHost.CreateBuilder(["--config-dir", dir.Path, "--Daemon:RunDirectory=/y"]);

        Assert.Equal("Semaphore", builder.Configuration["Daemon:EventfdMode"]);
        Assert.Equal("00:00:03", builder.Configuration["Daemon:ShutdownTimeout"]);
        Assert.Equal("/y", builder.Configuration["Daemon:RunDirectory"]);
    }

    [Fact]
    public async Task VersionPrintsTheDaemonAndContractVersions()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await EfdProgram.RunAsync(["--version"], stdout: stdout));
        Assert.Matches(@"^efd-daemon \d+\.\d+\.\d+ \(plugin contract \d+\.\d+", stdout.ToString());
    }

    [Fact]
    public async Task AnUnknownArgumentIsAConfigurationError()
    {
        var stderr = new StringWriter();
        Assert.Equal(1, await EfdProgram.RunAsync(["--frobnicate"], stderr: stderr));
        Assert.Contains("Unknown argument '--frobnicate'", stderr.ToString(), StringComparison.Ordinal);
    }
}
