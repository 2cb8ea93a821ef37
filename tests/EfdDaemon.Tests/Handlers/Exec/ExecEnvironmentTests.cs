using System.Net;
using EfdDaemon.Handlers.Exec;
using EfdDaemon.Tests.Support;

namespace EfdDaemon.Tests.Handlers.Exec;

/// <summary>The <c>EFD_*</c> variables of a rule's program: one <c>EFD_F_*</c> per field of every kind, and the API-1 aliases beside them.</summary>
public sealed class ExecEnvironmentTests
{
    /// <summary>Per kind: field values, then the variables they must give (every <c>EFD_F_*</c>, in format order, and the API-1 aliases).</summary>
    private static readonly Dictionary<string, ((string, object)[] Values, string[] FieldVariables, string[] Aliases)> Table = new(StringComparer.Ordinal)
    {
        ["ATTACHED"] = ([("pid", 1234), ("fd", 5)], ["EFD_F_PID=1234", "EFD_F_FD=5"], ["EFD_ATTACHED_PID=1234", "EFD_ATTACHED_FD=5"]),
        ["TRIGGER"] = ([("index", 3), ("batch", 2)], ["EFD_F_INDEX=3", "EFD_F_BATCH=2"], ["EFD_TRIGGER_INDEX=3", "EFD_TRIGGER_BATCH=2"]),
        ["NETDEV"] = ([("ifname", "eth0"), ("ifindex", 2), ("event", 1), ("flags", 0x1003), ("netns", 4026531840u)],
            ["EFD_F_IFNAME=eth0", "EFD_F_IFINDEX=2", "EFD_F_EVENT=UP", "EFD_F_FLAGS=0x1003", "EFD_F_NETNS=4026531840"],
            ["EFD_IFNAME=eth0", "EFD_IFINDEX=2", "EFD_NETDEV_EVENT=UP", "EFD_FLAGS=4099"]),
        ["MODULE"] = ([("name", "loop"), ("state", 1)], ["EFD_F_NAME=loop", "EFD_F_STATE=COMING"], ["EFD_MODULE=loop", "EFD_MODULE_STATE=COMING"]),
        ["TICK"] = ([("n", 42)], ["EFD_F_N=42"], ["EFD_TICK=42"]),
        ["INPUT"] = ([("device", "Lid Switch"), ("type", 5), ("code", 0), ("value", 1)],
            ["EFD_F_DEVICE=Lid Switch", "EFD_F_TYPE=SW", "EFD_F_CODE=SW_LID", "EFD_F_VALUE=1"], []),
        ["POWER"] = ([("name", "AC"), ("type", 3), ("online", 1), ("status", 0), ("capacity", -1), ("parent", "ACPI0003:00")],
            ["EFD_F_NAME=AC", "EFD_F_TYPE=MAINS", "EFD_F_ONLINE=1", "EFD_F_STATUS=UNKNOWN", "EFD_F_CAPACITY=-1", "EFD_F_PARENT=ACPI0003:00"], []),
        ["IFADDR"] = ([("ifname", "eth0"), ("ifindex", 2), ("event", 1), ("netns", 0), ("family", 10), ("prefixlen", 64), ("addr", IPAddress.Parse("2001:db8::1"))],
            ["EFD_F_IFNAME=eth0", "EFD_F_IFINDEX=2", "EFD_F_EVENT=UP", "EFD_F_NETNS=0", "EFD_F_FAMILY=inet6", "EFD_F_PREFIXLEN=64", "EFD_F_ADDR=2001:db8::1"], []),
        ["PM"] = ([("event", 3)], ["EFD_F_EVENT=SUSPEND_PREPARE"], []),
        ["CPU"] = ([("cpu", 2), ("online", 0)], ["EFD_F_CPU=2", "EFD_F_ONLINE=0"], []),
        ["KIND"] = ([("kind", 0x10000), ("registered", 1), ("name", "usb.device")], ["EFD_F_KIND=65536", "EFD_F_REGISTERED=1", "EFD_F_NAME=usb.device"], []),
    };

    public static TheoryData<string> BuiltInKindsWithFields => [.. BuiltInKinds.All.Where(f => f.Fields.Count > 0).Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(BuiltInKindsWithFields))]
    public void EveryFieldOfEveryBuiltInKindIsAnEfdFVariableBesideTheApi1Aliases(string kind)
    {
        Assert.True(Table.TryGetValue(kind, out var row), $"the table has no row for {kind}: add one");
        Assert.True(BuiltInKinds.TryGet(kind, out EventFormat? format));

        string[] env = ExecEnvironment.Build(FieldEvents.Of(format, row.Values), "r", null);

        Assert.Equal(row.FieldVariables, env.Where(v => v.StartsWith("EFD_F_", StringComparison.Ordinal)));
        Assert.Equal(format.Fields.Select(f => f.JournalName), row.FieldVariables.Select(v => v[..v.IndexOf('=', StringComparison.Ordinal)]));
        Assert.All(row.Aliases, alias => Assert.Contains(alias, env));
        Assert.Contains($"EFD_KIND={kind}", env);
        Assert.Contains($"EFD_KIND_ID={(uint)format.Kind}", env);
    }

    [Fact]
    public void ARegisteredKindHasItsFieldsAndItsNameAsWrittenAndNoApi1Aliases()
    {
        string[] env = ExecEnvironment.Build(
            FieldEvents.Of(FieldEvents.Example, ("n", 7531), ("text", "hello"), ("addr", IPAddress.Parse("192.0.2.1"))), "usb", null);

        Assert.Equal(
            [
                ExecEnvironment.Path, "EFD_KIND=example.event", "EFD_KIND_ID=65536", "EFD_SEQ=7", "EFD_COUNT=1", "EFD_TIMESTAMP_NS=99", "EFD_RULE=usb",
                "EFD_F_N=7531", "EFD_F_TEXT=hello", "EFD_F_ADDR=192.0.2.1",
            ],
            env);
    }

    [Fact]
    public void AnOpaqueKindHasItsPayloadInHexUnderBothNames()
    {
        string[] env = ExecEnvironment.Build(TestEvents.User(0x1234, [0xde, 0xad, 0x00, 0x01]), "r", null);

        Assert.Contains("EFD_KIND=USER_0x1234", env);
        Assert.Contains("EFD_F_PAYLOAD=dead0001", env);
        Assert.Contains("EFD_PAYLOAD_HEX=dead0001", env);
    }

    [Fact]
    public void AnEmptyOpaquePayloadStillSetsEfdPayloadHexAsInApi1()
    {
        string[] env = ExecEnvironment.Build(TestEvents.User(0x1234, []), "r", null);

        Assert.Contains("EFD_PAYLOAD_HEX=", env);
        Assert.DoesNotContain(env, v => v.StartsWith("EFD_F_", StringComparison.Ordinal));
    }

    [Fact]
    public void ARegisteredKindWhoseFormatIsUnknownIsShownAsOpaque()
    {
        string[] env = ExecEnvironment.Build(new KernelEvent(3, (EventKind)0x10000, 1, 0, DateTimeOffset.UtcNow, new byte[] { 1, 2 }), "r", null);

        Assert.Contains("EFD_KIND=REGISTERED_0x10000", env);
        Assert.Contains("EFD_F_PAYLOAD=0102", env);
        Assert.Contains("EFD_PAYLOAD_HEX=0102", env);
    }

    [Fact]
    public void AShortPayloadLeavesOutTheFieldsItDoesNotHold()
    {
        string[] env = ExecEnvironment.Build(TestEvents.Netdev("eth0"), "r", null); // 28 bytes: no netns

        Assert.Contains("EFD_F_FLAGS=0x1043", env);
        Assert.DoesNotContain(env, v => v.StartsWith("EFD_F_NETNS=", StringComparison.Ordinal));
    }
}
