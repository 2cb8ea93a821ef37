using System.Buffers.Binary;
using System.Text;
using EfdDaemon.Events;
using EfdDaemon.Kernel;
using EfdDaemon.Tests.Support;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EfdDaemon.Tests.Kernel;

/// <summary>
/// The daemon's side of contract 3: reading <c>kinds/&lt;n&gt;/{name,format,registered}</c> as
/// kernel/README.md writes them (here into a temporary directory: the module's own files are
/// tested in the VM, tests/kernel), and giving every record its format, again after a KIND record,
/// an unknown number and a gap.
/// </summary>
public sealed class KindCatalogTests : IDisposable
{
    private const string ExampleFormat = "n u32 0 4\ntext str 4 16\naddr ipv4 20 4\n";

    private readonly TempDirectory _sysfs = new();
    private readonly FakeLogCollector _logs = new();
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _sysfs.Dispose();
    }

    [Fact]
    public void RegisteredKindsAreReadWithTheirFieldsAndBuiltInOnesNeedNoFiles()
    {
        Register(0x10000, "example.event", ExampleFormat);
        KindCatalog catalog = Catalog();

        catalog.Refresh();

        EventFormat format = Assert.IsType<EventFormat>(catalog.Find((EventKind)0x10000));
        Assert.Equal("example.event", format.Name);
        Assert.Equal(["n u32 0 4", "text str 4 16", "addr ipv4 20 4"], format.Fields.Select(f => f.ToString()));
        Assert.Same(BuiltInKinds.Get(EventKind.Netdev), catalog.Find(EventKind.Netdev));
        Assert.Null(catalog.Find((EventKind)0x1234)); // opaque kinds have no format
        FakeLogRecord found = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 3010);
        Assert.Equal("Kind example.event is number 65536 (registered 1): n u32, text str, addr ipv4", found.Message);
    }

    [Fact]
    public void AnUnknownNumberIsLookedUpAgainOnceAndThenLeftAlone()
    {
        KindCatalog catalog = Catalog();
        catalog.Refresh();
        Register(0x10001, "late.kind", "x u8 0 1\n");

        Assert.Equal("late.kind", catalog.Find((EventKind)0x10001)?.Name); // read on the miss
        Assert.Null(catalog.Find((EventKind)0x10002));
        Register(0x10002, "later.kind", "x u8 0 1\n");
        Assert.Null(catalog.Find((EventKind)0x10002)); // missed once already: no sysfs read per record

        catalog.MarkStale(); // a gap: a KIND record may be among the lost
        Assert.Equal("later.kind", catalog.Find((EventKind)0x10002)?.Name);
    }

    [Fact]
    public void ADepartedKindKeepsItsFormatAndANameFindsTheOneStillRegistered()
    {
        Register(0x10000, "usb.device", "busnum u8 0 1\n", registered: false);
        Register(0x10003, "usb.device", "busnum u8 0 1\ndevnum u8 1 1\n");
        KindCatalog catalog = Catalog();
        catalog.Refresh();

        Assert.False(catalog.Find((EventKind)0x10000)!.Registered);
        Assert.True(catalog.TryGetByName("usb.device", out EventFormat? current));
        Assert.Equal((EventKind)0x10003, current.Kind);
        Assert.False(catalog.TryGetByName("nosuch.kind", out _));
    }

    [Theory]
    [InlineData("Bad.Name", "x u8 0 1\n", "'Bad.Name' is not a kind name")]
    [InlineData("netdev", "x u8 0 1\n", "is the name of the built-in kind NETDEV")]
    [InlineData("a.b", "x u8 0\n", "format line 1 'x u8 0' is not 'name type offset size'")]
    [InlineData("a.b", "x float 0 4\n", "is not 'name type offset size'")]
    [InlineData("a.b", "x u32 0 2\n", "does not fit")]
    [InlineData("a.b", "x u32 0 4\ny u32 2 4\n", "overlap")]
    [InlineData("a.b", "x str 100 8\n", "does not fit")]
    public void AFormatTheDaemonCannotReadIsReportedAndItsEventsStayOpaque(string name, string format, string problem)
    {
        Register(0x10000, name, format);
        KindCatalog catalog = Catalog();

        catalog.Refresh();

        Assert.Null(catalog.Find((EventKind)0x10000));
        FakeLogRecord warning = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 3012);
        Assert.Contains(problem, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheKindsDirectoryOnlyBuiltInKindsExist()
    {
        KindCatalog catalog = new(_sysfs.Combine("absent"), new FakeLogger(_logs));

        catalog.Refresh();

        Assert.Empty(catalog.Registered);
        Assert.Null(catalog.Find(EventKind.RegisteredFirst));
        Assert.Empty(_logs.GetSnapshot());
    }

    [Fact]
    public async Task TheReaderGivesRecordsTheFormatThatAKindRecordAnnouncedAndAConfiguredNameMatchesFromThen()
    {
        KindCatalog catalog = Catalog();
        catalog.Refresh();
        var all = new RecordingHandler("All");
        var byName = new RecordingHandler("ByName");
        var device = Own(new FakeRecordDevice());
        Pipeline(device, catalog, [all, byName], ("ByName", new HandlerOptions { Kinds = ["example.event"] }));

        device.WriteRecord(1, (EventKind)0x10000, Example(1)); // before registration: no format yet
        await all.WaitForAsync(1);
        Register(0x10000, "example.event", ExampleFormat);
        device.WriteRecord(2, EventKind.KindChange, KindRecord(0x10000, registered: true, "example.event"));
        device.WriteRecord(3, (EventKind)0x10000, Example(5));
        await all.WaitForAsync(3);
        await byName.WaitForAsync(1);

        Assert.Equal([null, "KIND", "example.event"], all.Events.Select(e => e.Format?.Name));
        KernelEvent e = Assert.Single(byName.Events);
        Assert.Equal(3UL, e.Sequence);
        Assert.Equal("example.event", e.KindName);
        Assert.Equal("n=5 text=efd_lkm_example addr=192.0.2.5", EventFields.Describe(new KernelEvent(e.Sequence, e.Kind, 1, 0, default, byName.Payloads[0]) { Format = e.Format }));
    }

    [Fact]
    public void AConfiguredNameNoModuleRegisteredIsAcceptedWithAWarningThatSuggestsTheNearest()
    {
        Register(0x10000, "example.event", ExampleFormat);
        KindCatalog catalog = Catalog();
        catalog.Refresh();
        var dispatcher = Own(new EventDispatcher([new RecordingHandler("A"), new RecordingHandler("B")], new FakeTimeProvider(), new FakeLogger(_logs),
            new Dictionary<string, HandlerOptions> { ["A"] = new() { Kinds = ["example.evnt"] }, ["B"] = new() { Kinds = ["example.event", "usb.device"] } }));

        new KindNameCheck(catalog, dispatcher, new FakeLogger<KindNameCheck>(_logs)).Check();

        Assert.Equal(
        [
            "handler A names kind example.evnt, which no module has registered yet: it matches once a module registers it (did you mean example.event?)",
            "handler B names kind usb.device, which no module has registered yet: it matches once a module registers it",
        ], _logs.GetSnapshot().Where(r => r.Id.Id == 3013).Select(r => r.Message));
    }

    private KindCatalog Catalog() => new(_sysfs.Path, new FakeLogger(_logs));

    private void Register(uint number, string name, string format, bool registered = true)
    {
        string dir = _sysfs.Combine(KindCatalog.KindsDirectory, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "name"), name + "\n");
        File.WriteAllText(Path.Combine(dir, "format"), format);
        File.WriteAllText(Path.Combine(dir, "registered"), registered ? "1\n" : "0\n");
    }

    private static byte[] Example(uint n)
    {
        byte[] p = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(p, n);
        "efd_lkm_example"u8.CopyTo(p.AsSpan(4));
        new byte[] { 192, 0, 2, (byte)n }.CopyTo(p, 20);
        return p;
    }

    private static byte[] KindRecord(uint kind, bool registered, string name)
    {
        byte[] p = new byte[72];
        BinaryPrimitives.WriteUInt32LittleEndian(p, kind);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(4), registered ? 1u : 0u);
        Encoding.ASCII.GetBytes(name).CopyTo(p, 8);
        return p;
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private void Pipeline(FakeRecordDevice device, KindCatalog catalog, IEventHandler[] handlers, params (string Name, HandlerOptions Options)[] settings)
    {
        var time = new FakeTimeProvider();
        var logger = new FakeLogger(_logs);
        var dispatcher = Own(new EventDispatcher(handlers, time, logger, settings.ToDictionary(s => s.Name, s => s.Options)));
        var source = new EventfdSource(EventfdMode.Counter, time, logger);
        source.UseRecordDevice(device.Device, catalog);
        _owned.Add(new Stopper(source, dispatcher));
        dispatcher.Start();
        source.Start(dispatcher, ex => throw new InvalidOperationException("reader fault", ex));
    }

    private sealed class Stopper(EventfdSource source, EventDispatcher dispatcher) : IDisposable
    {
        public void Dispose()
        {
            source.Stop();
            dispatcher.Drain(TimeSpan.FromSeconds(1), TimeProvider.System);
            source.Dispose();
        }
    }
}
