using EfdDaemon.Events;
using EfdDaemon.Kernel;

namespace EfdDaemon.Tests.Kernel;

/// <summary>The C# record mirror against kernel/include/uapi/efd_lkm.h, through a C program compiled with gcc.</summary>
public sealed unsafe class RecordLayoutTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, long> _layout = [];
    private readonly string _samples;

    public RecordLayoutTests()
    {
        string gcc = Prerequisites.Tool("gcc", "gcc");
        string header = Repository.Combine("kernel", "include", "uapi", "efd_lkm.h");
        Assert.True(File.Exists(header), $"{header} is missing: the uapi header is the contract this test checks.");
        string exe = _dir.Combine("efd_layout");
        (int cc, string ccOut) = Tools.Run(gcc, "-Wall", "-Werror", "-I", Path.GetDirectoryName(header)!,
            "-o", exe, Repository.Combine("tests", "EfdDaemon.Tests", "Kernel", "native", "efd_layout.c"));
        Assert.True(cc == 0, $"gcc failed (needs linux-libc-dev for <linux/types.h>): {ccOut}");
        _samples = _dir.Combine("samples.bin");
        (int rc, string output) = Tools.Run(exe, _samples);
        Assert.Equal(0, rc);
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ');
            _layout[string.Join(' ', parts[..^1])] = long.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    [RequiresToolFact("gcc", "gcc")]
    public void TheCSharpRecordHasTheSizeAndOffsetsOfTheCStruct()
    {
        EfdLkmRecord r = default;
        byte* b = (byte*)&r;
        Assert.Equal(_layout["sizeof"], sizeof(EfdLkmRecord));
        Assert.Equal(_layout["offsetof seq"], (byte*)&r.Seq - b);
        Assert.Equal(_layout["offsetof ts_ns"], (byte*)&r.TsNs - b);
        Assert.Equal(_layout["offsetof kind"], (byte*)&r.Kind - b);
        Assert.Equal(_layout["offsetof len"], (byte*)&r.Len - b);
        Assert.Equal(sizeof(ushort), _layout["sizeof len"]);
        Assert.Equal(_layout["offsetof flags"], (byte*)&r.Flags - b);
        Assert.Equal(EfdLkmRecord.FlagRedelivered, _layout["redelivered"]);
        Assert.Equal(_layout["offsetof data"], (byte*)&r.Data - b);
        Assert.Equal(EfdLkmRecord.AbiVersion, _layout["abi"]);
        Assert.Equal(KernelEvent.MaxPayloadLength, _layout["datamax"]);
    }

    [RequiresToolFact("gcc", "gcc")]
    public void RecordsWrittenByCParseIntoTypedEvents()
    {
        byte[] bytes = File.ReadAllBytes(_samples);
        Assert.Equal(6 * EfdLkmRecord.Size, bytes.Length);
        var events = new List<KernelEvent>();
        for (int i = 0; i < 6; i++)
        {
            EfdLkmRecord raw = EfdLkmRecord.Read(bytes.AsSpan(i * EfdLkmRecord.Size));
            var record = EventRecord.FromKernel(in raw, DateTimeOffset.UnixEpoch, BuiltInKinds.Get((EventKind)raw.Kind));
            events.Add(record.ToKernelEvent(new byte[KernelEvent.MaxPayloadLength]));
        }

        Assert.True(events[0].TryGetAttached(out AttachedPayload attached));
        Assert.Equal((4242, 7), (attached.Pid, attached.Fd));
        Assert.Equal(1_000_000_007UL, events[0].KernelTimestamp);
        Assert.True(events[1].TryGetTrigger(out TriggerPayload trigger));
        Assert.Equal((2u, 3u), (trigger.Index, trigger.Batch));
        Assert.True(events[2].TryGetNetdev(out NetdevPayload netdev));
        Assert.Equal(("dummy0", 9u, NetdevEvent.Up, 0x1043u), (netdev.InterfaceName.ToString(), netdev.InterfaceIndex, netdev.Event, netdev.Flags));
        Assert.True(events[3].TryGetModule(out ModulePayload module));
        Assert.Equal(("efd_lkm_example", ModuleState.Going), (module.Name.ToString(), module.State));
        Assert.True(events[4].TryGetTick(out TickPayload tick));
        Assert.Equal(0x0102030405060708UL, tick.N);
        Assert.Equal((EventKind)0x1234, events[5].Kind);
        Assert.Equal(7UL, events[5].Sequence);
        Assert.Equal(new byte[] { 0xde, 0xad, 0x01 }, events[5].Payload.ToArray());
        Assert.All(events, e => Assert.Equal(1UL, e.Count));
    }

    public void Dispose() => _dir.Dispose();
}
