using EfdDaemon.Handlers.Exec;
using EfdDaemon.Hosting;
using EfdDaemon.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EfdDaemon.Tests.Handlers.Exec;

/// <summary>SIGHUP's reload (the core's <c>ReloadService</c>) applying and rejecting exec rules in the real host.</summary>
public sealed class ExecReloadTests
{
    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task ReloadAppliesANewRuleAndTheDispatcherDeliversItsKinds()
    {
        using var dir = new TempDirectory();
        await using var daemon = new InProcessDaemon(pluginDirectory: null, configJson: Rules(("first", "TRIGGER", "/bin/true")));
        await daemon.StartAsync();
        ExecHandler exec = daemon.Host.Services.GetRequiredService<ExecHandler>();
        var ran = new TaskCompletionSource<ExecResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        exec.RunCompleted += r => ran.TrySetResult(r);
        Assert.Equal([EventKind.Trigger], ExecKinds(daemon));

        File.WriteAllText(daemon.ConfigFile, Rules(("first", "TRIGGER", "/bin/true"), ("on-signal", "SIGNAL", "/bin/true")));
        Assert.Empty(daemon.Reloader.Reload());

        Assert.Equal(["first", "on-signal"], exec.Rules.Rules.Select(r => r.Name));
        Assert.Equal([EventKind.Signal, EventKind.Trigger], ExecKinds(daemon));
        daemon.Signal();
        Assert.Equal("on-signal", (await ran.Task.WaitAsync(TestTimeouts.Bound)).Rule);
        Assert.Contains(daemon.Logs.Entries, e => e.EventId == 7001);
    }

    [RequiresRootFact("exec rules switch users and process groups")]
    public async Task ReloadRejectsAnInvalidRuleSetKeepsTheOldOneAndSaysWhy()
    {
        await using var daemon = new InProcessDaemon(pluginDirectory: null, configJson: Rules(("first", "TRIGGER", "/bin/true")));
        await daemon.StartAsync();
        ExecHandler exec = daemon.Host.Services.GetRequiredService<ExecHandler>();
        ExecRuleSet before = exec.Rules;

        File.WriteAllText(daemon.ConfigFile, Rules(("first", "TRIGGER", "/bin/true"), ("broken", "NOT_A_KIND", "relative/program")));
        IReadOnlyList<string> errors = daemon.Reloader.Reload();

        Assert.Contains("Exec rule broken: Kinds: 'NOT_A_KIND' is not an event kind (a name such as NETDEV or usb.device, USER_0x1234, or a number from 0x1000)", errors);
        Assert.Contains("Exec rule broken: Program: 'relative/program' is not an absolute path (there is no PATH lookup)", errors);
        Assert.Same(before, exec.Rules);
        Assert.Equal([EventKind.Trigger], ExecKinds(daemon));
        LogEntry rejected = await daemon.Logs.WaitForAsync(e => e.Message.Contains("NOT_A_KIND", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, rejected.Level);
    }

    [Fact]
    public void AnInvalidRuleSetAtStartFailsTheConfigurationCheck()
    {
        var args = new[] { "--Exec:Rules:0:Name=x", "--Exec:Rules:0:Kinds:0=TRIGGER", "--Exec:Rules:0:Program=/nonexistent/efd" };
        using Microsoft.Extensions.Hosting.IHost host = EfdHost.CreateBuilder(args).Build();

        IReadOnlyList<string> errors = EfdConfigChecker.Check(host.Services);

        Assert.Contains(errors, e => e.Contains("Exec rule x: Program: /nonexistent/efd does not exist or is a directory", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckConfigPrintsOneLinePerBadRuleAndExitsOne()
    {
        using var dir = new TempDirectory("efd-check-");
        string file = dir.Combine("efd-daemon.json");
        File.WriteAllText(file, Rules(("ok", "TRIGGER", "/bin/true"), ("bad", "TRIGGER", "bin/true")));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exit = await EfdProgram.RunAsync(["--check-config", file], stdout: stdout, stderr: stderr);

        Assert.Equal(1, exit);
        Assert.Equal("Exec: Exec rule bad: Program: 'bin/true' is not an absolute path (there is no PATH lookup)", stderr.ToString().Trim());

        File.WriteAllText(file, Rules(("ok", "TRIGGER", "/bin/true")));
        Assert.Equal(0, await EfdProgram.RunAsync(["--check-config", file], stdout: stdout, stderr: stderr));
        Assert.Equal("config ok", stdout.ToString().Trim());
    }

    private static IReadOnlyList<EventKind>? ExecKinds(InProcessDaemon daemon) =>
        daemon.Dispatcher.Snapshot().Single(h => h.Name == ExecHandler.HandlerName).Settings.Kinds.Kinds;

    private static string Rules(params (string Name, string Kind, string Program)[] rules) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            Exec = new
            {
                Rules = rules.Select(r => new { r.Name, Kinds = new[] { r.Kind }, r.Program }).ToArray(),
            },
        });
}
