using System.Buffers.Binary;
using System.Text;

namespace EfdDaemon.Abstractions.Tests;

public sealed class KernelEventTests
{
    private static KernelEvent Make(EventKind kind, byte[] payload) =>
        new(7, kind, 1, 123_456_789, DateTimeOffset.UnixEpoch, payload);

    [Fact]
    public void AttachedPayloadReadsPidAndFd()
    {
        byte[] p = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(p, 4242);
        BinaryPrimitives.WriteInt32LittleEndian(p.AsSpan(4), 28);

        Assert.Equal((4242, 28), Make(EventKind.Attached, p).GetAttached());
    }

    [Fact]
    public void TriggerPayloadReadsIndexAndBatch()
    {
        byte[] p = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(p, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(4), 5);

        Assert.Equal((2u, 5u), Make(EventKind.Trigger, p).GetTrigger());
    }

    [Fact]
    public void NetdevPayloadStopsTheNameAtItsTerminator()
    {
        byte[] p = new byte[28];
        Encoding.ASCII.GetBytes("dummy0").CopyTo(p, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(16), 3);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(24), 0x1003);

        Assert.Equal(("dummy0", 3u, 1u, 0x1003u), Make(EventKind.Netdev, p).GetNetdev());
    }

    [Fact]
    public void NetdevNameFillingAllSixteenBytesIsReadWhole()
    {
        byte[] p = new byte[28];
        Encoding.ASCII.GetBytes("abcdefghijklmnop").CopyTo(p, 0);

        Assert.Equal("abcdefghijklmnop", Make(EventKind.Netdev, p).GetNetdev().InterfaceName);
    }

    [Fact]
    public void ModulePayloadReadsNameAndState()
    {
        byte[] p = new byte[60];
        Encoding.ASCII.GetBytes("efd_lkm_example").CopyTo(p, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(56), 2);

        Assert.Equal(("efd_lkm_example", 2u), Make(EventKind.Module, p).GetModule());
    }

    [Fact]
    public void TickPayloadReadsTheCounter()
    {
        byte[] p = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(p, 99);

        Assert.Equal(99ul, Make(EventKind.Tick, p).GetTick());
    }

    [Fact]
    public void AccessorForAnotherKindThrowsNamingBothKinds()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Make(EventKind.Trigger, new byte[8]).GetNetdev());

        Assert.Contains("TRIGGER", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NETDEV", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortPayloadThrowsInsteadOfReadingPastIt()
    {
        Assert.Throws<InvalidOperationException>(() => Make(EventKind.Module, new byte[10]).GetModule());
    }
}
