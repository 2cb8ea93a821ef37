namespace EfdDaemon.Abstractions.Tests;

public sealed class BuiltInKindsTests
{
    [Fact]
    public void EveryBuiltInKindHasAFormatUnderItsNumberAndName()
    {
        foreach (EventKind kind in Enum.GetValues<EventKind>().Where(k => k < EventKind.UserFirst))
        {
            EventFormat? format = BuiltInKinds.Get(kind);
            Assert.NotNull(format);
            Assert.Equal(kind, format.Kind);
            Assert.Equal(format.Name, EventKindNames.GetName(kind));
            Assert.True(BuiltInKinds.TryGet(format.Name.ToLowerInvariant(), out EventFormat? byName));
            Assert.Same(format, byName);
            Assert.True(format.Extent <= KernelEvent.MaxPayloadLength);
        }

        Assert.Null(BuiltInKinds.Get(EventKind.UserFirst));
        Assert.Null(BuiltInKinds.Get(EventKind.RegisteredFirst));
    }

    [Fact]
    public void FormatsReadAsSysfsWritesThem()
    {
        // kernel/README.md: the exact text of /sys/kernel/efd_lkm/kinds/3/format (NETDEV's netns comes with a later source).
        Assert.Equal("ifname str 0 16\nifindex u32 16 4\nevent u32 20 4\nflags u32 24 4\nnetns u32 28 4\n", BuiltInKinds.Get(EventKind.Netdev)!.ToSysfsText());
        Assert.Equal("kind u32 0 4\nregistered u32 4 4\nname str 8 64\n", BuiltInKinds.Get(EventKind.KindChange)!.ToSysfsText());
    }

    [Theory]
    [InlineData("x", EventFieldType.U32, 0, 2)]
    [InlineData("x", EventFieldType.Ipv6, 0, 4)]
    [InlineData("x", EventFieldType.Str, 100, 5)]
    [InlineData("x", EventFieldType.Bytes, 0, 0)]
    [InlineData("Bad", EventFieldType.U8, 0, 1)]
    [InlineData("way_too_long_a_field_name_for_the_journal", EventFieldType.U8, 0, 1)]
    public void FieldsBreakingTheRegistrationRulesAreRefused(string name, EventFieldType type, int offset, int size)
    {
        Assert.Throws<ArgumentException>(() => new EventField(name, type, offset, size));
    }

    [Fact]
    public void OverlappingOrDuplicateFieldsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new EventFormat((EventKind)0x10000, "a.b",
            [new EventField("x", EventFieldType.U32, 0, 4), new EventField("y", EventFieldType.U16, 2, 2)]));
        Assert.Throws<ArgumentException>(() => new EventFormat((EventKind)0x10000, "a.b",
            [new EventField("x", EventFieldType.U32, 0, 4), new EventField("x", EventFieldType.U16, 4, 2)]));
    }

    [Theory]
    [InlineData("usb.device", true)]
    [InlineData("example.event_2", true)]
    [InlineData("USB.device", false)]
    [InlineData("usb-device", false)]
    [InlineData("", false)]
    public void RegisteredNamesFollowTheKernelsRule(string name, bool valid)
    {
        Assert.Equal(valid, EventFormat.IsValidRegisteredName(name));
    }
}
