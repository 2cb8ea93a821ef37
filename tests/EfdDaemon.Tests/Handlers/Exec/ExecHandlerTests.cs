using System.Globalization;
using EfdDaemon.Handlers.Exec;
using EfdDaemon.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EfdDaemon.Tests.Handlers.Exec;

public sealed class ExecHandlerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task AMatchingRuleRunsItsProgramWithTheEventOnlyInACleanEnvironment()
    {
        using var dir = new TempDirectory();
        string dumper = Scripts.WriteDumper(dir);
        await using var exec = new ExecFixture(4, new ExecRuleOptions
        {
            Name = "dummy-up",
            Kinds = ["NETDEV"],
            Match = new ExecMatchOptions { Interface = "dummy[0-9]*", NetdevEvent = "UP" },
            Program = dumper,
            Arguments = [dir.Path, "--literal"],
        });

        await exec.Handler.HandleAsync(TestEvents.Netdev("eth0", 1), None); // no match: another interface
        await exec.Handler.HandleAsync(TestEvents.Netdev("dummy0", 2), None); // no match: DOWN
        await exec.Handler.HandleAsync(TestEvents.Netdev("dummy0", 1, ifindex: 9, flags: 0x1043, sequence: 17), None);
        ExecResult result = Assert.Single(await exec.WaitForRunsAsync(1));

        Assert.Equal((0, 0, false), (result.Status.ExitCode, result.Status.Signal, result.TimedOut));
        Assert.Equal(
            [
                "EFD_COUNT=1", "EFD_FLAGS=4163", "EFD_F_EVENT=UP", "EFD_F_FLAGS=0x1043", "EFD_F_IFINDEX=9", "EFD_F_IFNAME=dummy0", "EFD_IFINDEX=9", "EFD_IFNAME=dummy0", "EFD_KIND=NETDEV", "EFD_KIND_ID=3",
                "EFD_NETDEV_EVENT=UP", "EFD_RULE=dummy-up", "EFD_SEQ=17", "EFD_TIMESTAMP_NS=123456789",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "PWD=/", // added by the script's shell: the program starts in /
            ],
            Scripts.ReadNulSeparated(Path.Combine(dir.Path, "env")).Order(StringComparer.Ordinal));
        Assert.Equal([dumper, dir.Path, "--literal"], Scripts.ReadNulSeparated(Path.Combine(dir.Path, "argv")));
        Assert.Equal("/dev/null", File.ReadAllText(Path.Combine(dir.Path, "stdin")).Trim());
        Assert.Single(exec.Results);
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task TheProgramLeadsItsOwnSessionAndProcessGroup()
    {
        using var dir = new TempDirectory();
        await using var exec = new ExecFixture(4, Rule("session", Scripts.WriteDumper(dir), dir.Path));

        await exec.Handler.HandleAsync(TestEvents.Trigger(), None);
        ExecResult result = Assert.Single(await exec.WaitForRunsAsync(1));

        string[] stat = File.ReadAllText(Path.Combine(dir.Path, "stat")).Split(' ', StringSplitOptions.TrimEntries);
        string pid = result.Pid.ToString(CultureInfo.InvariantCulture);
        Assert.Equal([pid, pid, pid], stat);
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task StdoutAndStderrLinesAreLoggedUnderTheRulesName()
    {
        using var dir = new TempDirectory();
        await using var exec = new ExecFixture(4, Rule("chatty", Scripts.WriteDumper(dir), dir.Path));

        await exec.Handler.HandleAsync(TestEvents.Trigger(), None);
        ExecResult result = Assert.Single(await exec.WaitForRunsAsync(1));

        LogEntry[] output = [.. exec.Logs.Entries.Where(e => e.EventId == 7009)];
        Assert.Equal(2, output.Length);
        Assert.All(output, e => Assert.Equal("chatty", e.Property("Rule")));
        Assert.Contains(output, e => e.Property("Stream") == "stdout" && e.Property("Line") == "hello on stdout");
        Assert.Contains(output, e => e.Property("Stream") == "stderr" && e.Property("Line") == "hello on stderr");
        LogEntry exit = Assert.Single(exec.Logs.Entries, e => e.EventId == 7004);
        Assert.Equal((LogLevel.Information, "chatty", result.Pid.ToString(CultureInfo.InvariantCulture)), (exit.Level, exit.Property("Rule"), exit.Property("ChildPid")));
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task AHostileModuleNameIsPassedVerbatimInTheEnvironmentAndNeverExecuted()
    {
        using var dir = new TempDirectory("e");
        string hostile = $"m'\";touch {dir.Path}/a;$(touch {dir.Path}/b)`touch {dir.Path}/c`\n";
        if (hostile.Length > 55)
        {
            hostile = $"m'\";touch {dir.Path}/a;$(touch {dir.Path}/b)\n";
        }

        string dumper = Scripts.WriteDumper(dir);
        await using var exec = new ExecFixture(4, new ExecRuleOptions
        {
            Name = "hostile",
            Kinds = ["MODULE"],
            Match = new ExecMatchOptions { Module = "m*", ModuleState = "COMING" },
            Program = dumper,
            Arguments = [dir.Path, "$EFD_MODULE", "`id`", "$(id)"],
        });

        await exec.Handler.HandleAsync(TestEvents.Module(hostile, state: 1), None);
        Assert.Single(await exec.WaitForRunsAsync(1));

        IReadOnlyList<string> env = Scripts.ReadNulSeparated(Path.Combine(dir.Path, "env"));
        Assert.Contains($"EFD_MODULE={hostile}", env);
        Assert.Contains("EFD_MODULE_STATE=COMING", env);
        Assert.Equal([dumper, dir.Path, "$EFD_MODULE", "`id`", "$(id)"], Scripts.ReadNulSeparated(Path.Combine(dir.Path, "argv")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "a")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "b")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "c")));
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task AHostileInterfaceNameWithSpacesQuotesAndANewlineStaysOneValue()
    {
        using var dir = new TempDirectory();
        const string hostile = "a b'c\"d;\n$(id)";
        await using var exec = new ExecFixture(4, new ExecRuleOptions
        {
            Name = "hostile-if",
            Kinds = ["NETDEV"],
            Match = new ExecMatchOptions { Interface = "a b*" },
            Program = Scripts.WriteDumper(dir),
            Arguments = [dir.Path],
        });

        await exec.Handler.HandleAsync(TestEvents.Netdev(hostile), None);
        Assert.Single(await exec.WaitForRunsAsync(1));

        IReadOnlyList<string> env = Scripts.ReadNulSeparated(Path.Combine(dir.Path, "env"));
        Assert.Contains($"EFD_IFNAME={hostile}", env);
        Assert.Equal(2, Scripts.ReadNulSeparated(Path.Combine(dir.Path, "argv")).Count);
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task AUserKindRunsWithItsPayloadInHex()
    {
        using var dir = new TempDirectory();
        await using var exec = new ExecFixture(4, new ExecRuleOptions
        {
            Name = "user", Kinds = ["USER_0x1234"], Program = Scripts.WriteDumper(dir), Arguments = [dir.Path],
        });

        await exec.Handler.HandleAsync(TestEvents.User(0x1235, [1]), None); // another user kind: no match
        await exec.Handler.HandleAsync(TestEvents.User(0x1234, [0xde, 0xad, 0x00, 0x01]), None);
        Assert.Single(await exec.WaitForRunsAsync(1));

        IReadOnlyList<string> env = Scripts.ReadNulSeparated(Path.Combine(dir.Path, "env"));
        Assert.Contains("EFD_KIND=USER_0x1234", env);
        Assert.Contains("EFD_KIND_ID=4660", env);
        Assert.Contains("EFD_PAYLOAD_HEX=dead0001", env);
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task ARuleOnARegisteredKindRunsWithItsFieldsAndItsName()
    {
        using var dir = new TempDirectory();
        await using var exec = new ExecFixture(4, new ExecRuleOptions
        {
            Name = "example",
            Kinds = ["example.event"],
            Match = new ExecMatchOptions { Fields = new() { ["n"] = "0x1d6b", ["text"] = "Linux*" } },
            Program = Scripts.WriteDumper(dir),
            Arguments = [dir.Path],
        });

        Assert.Equal(["example.event"], exec.Handler.RegisteredKinds);
        await exec.Handler.HandleAsync(FieldEvents.Of(FieldEvents.Registered(0x10000, "other.event"), ("n", 0x1d6b), ("text", "Linux")), None);
        await exec.Handler.HandleAsync(FieldEvents.Of(FieldEvents.Example, ("n", 0x1d6c), ("text", "Linux")), None);
        await exec.Handler.HandleAsync(FieldEvents.Of(FieldEvents.Example, ("n", 0x1d6b), ("text", "Linux Foundation"), ("addr", System.Net.IPAddress.Parse("192.0.2.1"))), None);
        Assert.Single(await exec.WaitForRunsAsync(1));

        IReadOnlyList<string> env = Scripts.ReadNulSeparated(Path.Combine(dir.Path, "env"));
        Assert.Contains("EFD_KIND=example.event", env);
        Assert.Contains("EFD_KIND_ID=65536", env);
        Assert.Contains("EFD_F_N=7531", env);
        Assert.Contains("EFD_F_TEXT=Linux Foundation", env);
        Assert.Contains("EFD_F_ADDR=192.0.2.1", env);
        Assert.Single(exec.Results);
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task ATimeoutKillsTheWholeProcessGroupGrandchildrenIncluded()
    {
        using var dir = new TempDirectory();
        string grandchildPidFile = dir.Combine("grandchild");
        await using var exec = new ExecFixture(4, new ExecRuleOptions
        {
            Name = "stuck",
            Kinds = ["TRIGGER"],
            Program = "/bin/sh",
            Arguments = ["-c", "/bin/sleep 1000 & echo $! > \"$0\"; wait", grandchildPidFile],
            Timeout = TimeSpan.FromMilliseconds(1500),
        });

        await exec.Handler.HandleAsync(TestEvents.Trigger(), None);
        ExecResult result = Assert.Single(await exec.WaitForRunsAsync(1));

        Assert.True(result.TimedOut);
        Assert.Equal(15, result.Status.Signal); // SIGTERM to the group
        int grandchild = int.Parse(File.ReadAllText(grandchildPidFile).Trim(), CultureInfo.InvariantCulture);
        Assert.True(Native.WaitForProcessExit(grandchild, TestTimeouts.Bound), $"grandchild {grandchild} still runs");
        Assert.Contains(exec.Logs.Entries, e => e.EventId == 7007 && e.Property("Rule") == "stuck" && e.Level == LogLevel.Error);
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task BeyondTheConcurrencyLimitTheHandlerWaitsForASlot()
    {
        using var dir = new TempDirectory();
        string fifo = dir.Combine("gate");
        Native.MakeFifo(fifo);
        await using var exec = new ExecFixture(1, new ExecRuleOptions
        {
            Name = "gated", Kinds = ["TRIGGER"], Program = "/bin/sh", Arguments = ["-c", "read line < \"$0\"", fifo],
        });

        await exec.Handler.HandleAsync(TestEvents.Trigger(1), None);
        Task second = exec.Handler.HandleAsync(TestEvents.Trigger(2), None).AsTask();

        Assert.False(second.IsCompleted);
        Assert.Equal(1, exec.Handler.Running);
        await OpenGateAsync(fifo);
        await second.WaitAsync(TestTimeouts.Bound);
        await OpenGateAsync(fifo);
        IReadOnlyList<ExecResult> results = await exec.WaitForRunsAsync(2);
        Assert.All(results, r => Assert.Equal(0, r.Status.ExitCode));
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task ARuleWithAUserAndGroupRunsAsThem()
    {
        using var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_111_111);
        await using var exec = new ExecFixture(4, new ExecRuleOptions
        {
            Name = "as-nobody", Kinds = ["TRIGGER"], Program = Scripts.WriteDumper(dir), Arguments = [dir.Path], User = "nobody", Group = "nogroup",
        });

        await exec.Handler.HandleAsync(TestEvents.Trigger(), None);
        ExecResult result = Assert.Single(await exec.WaitForRunsAsync(1));

        Assert.Equal(0, result.Status.ExitCode);
        Assert.Equal("65534", File.ReadAllText(dir.Combine("uid")).Trim());
        Assert.Equal("65534", File.ReadAllText(dir.Combine("gid")).Trim());
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task AProgramThatCannotStartIsLoggedAndFreesItsSlot()
    {
        using var dir = new TempDirectory();
        string program = Scripts.WriteDumper(dir);
        await using var exec = new ExecFixture(1, Rule("vanishing", program, dir.Path));
        File.Delete(program); // valid when the rules were read, gone when the event comes

        await exec.Handler.HandleAsync(TestEvents.Trigger(1), None);
        await exec.Handler.HandleAsync(TestEvents.Trigger(2), None).AsTask().WaitAsync(TestTimeouts.Bound);

        Assert.Equal(2, exec.Logs.Entries.Count(e => e.EventId == 7008 && e.Property("Rule") == "vanishing"));
        Assert.Equal(0, exec.Handler.Running);
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task ANonZeroExitIsLoggedAsAWarningWithTheStatus()
    {
        await using var exec = new ExecFixture(4, Rule("fails", "/bin/sh", "-c", "exit 3"));

        await exec.Handler.HandleAsync(TestEvents.Trigger(), None);
        ExecResult result = Assert.Single(await exec.WaitForRunsAsync(1));

        Assert.Equal(3, result.Status.ExitCode);
        LogEntry entry = Assert.Single(exec.Logs.Entries, e => e.EventId == 7005);
        Assert.Equal((LogLevel.Warning, "3"), (entry.Level, entry.Property("ExitCode")));
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task StoppingTheHandlerTerminatesTheProgramsStillRunning()
    {
        var exec = new ExecFixture(4, Rule("long", "/bin/sleep", "1000"));
        await exec.Handler.HandleAsync(TestEvents.Trigger(), None);
        Assert.Equal(1, exec.Handler.Running);

        await exec.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Bound);

        ExecResult result = Assert.Single(exec.Results);
        Assert.Equal((15, false), (result.Status.Signal, result.TimedOut));
        Assert.Contains(exec.Logs.Entries, e => e.EventId == 7011);
    }

    private static ExecRuleOptions Rule(string name, string program, params string[] arguments) =>
        new() { Name = name, Kinds = ["TRIGGER"], Program = program, Arguments = arguments };

    private static Task OpenGateAsync(string fifo) =>
        Task.Run(() => File.WriteAllText(fifo, "go\n")).WaitAsync(TestTimeouts.Bound);
}
