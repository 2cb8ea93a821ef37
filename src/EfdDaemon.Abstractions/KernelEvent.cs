namespace EfdDaemon;

/// <summary>One event delivered to an <see cref="IEventHandler"/>: one efd_lkm record, or one bare eventfd wake-up.</summary>
/// <remarks>
/// The payload is borrowed from the daemon's buffers and is valid only until the handler's
/// <see cref="IEventHandler.HandleAsync"/> task completes. Read it through the typed views
/// (<see cref="TryGetNetdev"/>, …) for built-in kinds, or by field name (<see cref="TryGetField(ReadOnlySpan{char}, out FieldValue)"/>)
/// for any kind with a <see cref="Format"/>; neither allocates.
/// </remarks>
public readonly struct KernelEvent
{
    /// <summary>The size of the payload area of a record, in bytes.</summary>
    public const int MaxPayloadLength = 104;

    /// <summary>Initializes a new event; its <see cref="Format"/> is the built-in one for a built-in kind.</summary>
    /// <param name="sequence">The module's sequence number (1, 2, 3, … per module load; 0 for <see cref="EventKind.Signal"/>).</param>
    /// <param name="kind">The event kind.</param>
    /// <param name="count">1 for a record; the counter value read for <see cref="EventKind.Signal"/>.</param>
    /// <param name="kernelTimestamp">Nanoseconds of <c>CLOCK_BOOTTIME</c> when the event was raised (0 when unknown).</param>
    /// <param name="receivedAt">When the daemon read the event.</param>
    /// <param name="payload">The kind-specific payload (at most <see cref="MaxPayloadLength"/> bytes).</param>
    public KernelEvent(ulong sequence, EventKind kind, ulong count, ulong kernelTimestamp, DateTimeOffset receivedAt, ReadOnlyMemory<byte> payload)
    {
        Sequence = sequence;
        Kind = kind;
        Count = count;
        KernelTimestamp = kernelTimestamp;
        ReceivedAt = receivedAt;
        Payload = payload;
        Format = BuiltInKinds.Get(kind);
    }

    /// <summary>Gets the module's sequence number; a gap between two events means the module dropped records. 0 for <see cref="EventKind.Signal"/>.</summary>
    public ulong Sequence { get; }

    /// <summary>Gets the event kind.</summary>
    public EventKind Kind { get; }

    /// <summary>Gets how many signals this event stands for: 1 for a record, the eventfd counter value for <see cref="EventKind.Signal"/>.</summary>
    public ulong Count { get; }

    /// <summary>Gets the kernel's <c>CLOCK_BOOTTIME</c> in nanoseconds when the event was raised; 0 when unknown.</summary>
    public ulong KernelTimestamp { get; }

    /// <summary>Gets the wall-clock time at which the daemon read the event.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets the kind-specific payload. Valid until the handler's task completes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>
    /// Gets whether an earlier run of the daemon read this event but did not see every handler finish
    /// it (it crashed, was killed, or its shutdown timed out), so the module delivered it again. A
    /// handler whose action is not idempotent can check it; the event may have been handled before.
    /// </summary>
    public bool Redelivered { get; init; }

    /// <summary>
    /// Gets what the payload holds: the built-in format for a built-in kind, the format the module
    /// registered for a registered kind (<see cref="EventFormat.Name"/> is its name), or
    /// <see langword="null"/> for an opaque kind (0x1000–0xFFFF) and a kind the daemon could not read.
    /// </summary>
    public EventFormat? Format { get; init; }

    /// <summary>Gets the kind's name: <see cref="EventFormat.Name"/> when there is a format, else <see cref="EventKindNames.GetName(EventKind)"/>.</summary>
    public string KindName => Format?.Name ?? EventKindNames.GetName(Kind);

    /// <summary>Finds a payload field by name, without allocating.</summary>
    /// <param name="name">The field's name, as <see cref="Format"/> lists it (<c>ifname</c>, <c>busnum</c>).</param>
    /// <param name="value">The field's value, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="false"/> when the event has no format, the format has no such field, or the payload is too short to hold it.</returns>
    public bool TryGetField(ReadOnlySpan<char> name, out FieldValue value)
    {
        value = default;
        return Format is { } format && format.TryGetField(name, out EventField? field) && TryGetField(field, out value);
    }

    /// <summary>Reads a field looked up once in <see cref="Format"/>, without allocating.</summary>
    /// <param name="field">A field of this event's <see cref="Format"/>.</param>
    /// <param name="value">The field's value, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="false"/> when the payload is too short to hold the field.</returns>
    public bool TryGetField(EventField field, out FieldValue value)
    {
        ArgumentNullException.ThrowIfNull(field);
        ReadOnlySpan<byte> p = Payload.Span;
        if (field.Offset + field.Size > p.Length)
        {
            value = default;
            return false;
        }

        ReadOnlySpan<byte> bytes = p.Slice(field.Offset, field.Size);
        value = field.Display == EventFieldDisplay.Address ? new FieldValue(field, bytes, AddressLength()) : new FieldValue(field, bytes);
        return true;
    }

    /// <summary>Reads the payload of an <see cref="EventKind.Attached"/> event.</summary>
    /// <param name="payload">The payload, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="false"/> for another kind or a short payload.</returns>
    public bool TryGetAttached(out AttachedPayload payload) => Is(EventKind.Attached, AttachedPayload.Length, out payload, static p => new(p));

    /// <summary>Reads the payload of a <see cref="EventKind.Trigger"/> event.</summary>
    /// <inheritdoc cref="TryGetAttached" path="/param"/>
    /// <inheritdoc cref="TryGetAttached" path="/returns"/>
    public bool TryGetTrigger(out TriggerPayload payload) => Is(EventKind.Trigger, TriggerPayload.Length, out payload, static p => new(p));

    /// <summary>Reads the payload of a <see cref="EventKind.Netdev"/> event.</summary>
    /// <inheritdoc cref="TryGetAttached" path="/param"/>
    /// <inheritdoc cref="TryGetAttached" path="/returns"/>
    public bool TryGetNetdev(out NetdevPayload payload) => Is(EventKind.Netdev, NetdevPayload.Length, out payload, static p => new(p));

    /// <summary>Reads the payload of a <see cref="EventKind.Module"/> event.</summary>
    /// <inheritdoc cref="TryGetAttached" path="/param"/>
    /// <inheritdoc cref="TryGetAttached" path="/returns"/>
    public bool TryGetModule(out ModulePayload payload) => Is(EventKind.Module, ModulePayload.Length, out payload, static p => new(p));

    /// <summary>Reads the payload of a <see cref="EventKind.Tick"/> event.</summary>
    /// <inheritdoc cref="TryGetAttached" path="/param"/>
    /// <inheritdoc cref="TryGetAttached" path="/returns"/>
    public bool TryGetTick(out TickPayload payload) => Is(EventKind.Tick, TickPayload.Length, out payload, static p => new(p));

    /// <summary>Reads the payload of an <see cref="EventKind.Input"/> event.</summary>
    /// <inheritdoc cref="TryGetAttached" path="/param"/>
    /// <inheritdoc cref="TryGetAttached" path="/returns"/>
    public bool TryGetInput(out InputPayload payload) => Is(EventKind.Input, InputPayload.Length, out payload, static p => new(p));

    /// <summary>Reads the payload of a <see cref="EventKind.Power"/> event.</summary>
    /// <inheritdoc cref="TryGetAttached" path="/param"/>
    /// <inheritdoc cref="TryGetAttached" path="/returns"/>
    public bool TryGetPower(out PowerPayload payload) => Is(EventKind.Power, PowerPayload.Length, out payload, static p => new(p));

    /// <summary>Reads the payload of an <see cref="EventKind.Ifaddr"/> event.</summary>
    /// <inheritdoc cref="TryGetAttached" path="/param"/>
    /// <inheritdoc cref="TryGetAttached" path="/returns"/>
    public bool TryGetIfaddr(out IfaddrPayload payload) => Is(EventKind.Ifaddr, IfaddrPayload.Length, out payload, static p => new(p));

    /// <summary>Reads the payload of a <see cref="EventKind.Pm"/> event.</summary>
    /// <inheritdoc cref="TryGetAttached" path="/param"/>
    /// <inheritdoc cref="TryGetAttached" path="/returns"/>
    public bool TryGetPm(out PmPayload payload) => Is(EventKind.Pm, PmPayload.Length, out payload, static p => new(p));

    /// <summary>Reads the payload of a <see cref="EventKind.Cpu"/> event.</summary>
    /// <inheritdoc cref="TryGetAttached" path="/param"/>
    /// <inheritdoc cref="TryGetAttached" path="/returns"/>
    public bool TryGetCpu(out CpuPayload payload) => Is(EventKind.Cpu, CpuPayload.Length, out payload, static p => new(p));

    /// <summary>Reads the payload of a <see cref="EventKind.KindChange"/> (<c>KIND</c>) event.</summary>
    /// <inheritdoc cref="TryGetAttached" path="/param"/>
    /// <inheritdoc cref="TryGetAttached" path="/returns"/>
    public bool TryGetKindChange(out KindPayload payload) => Is(EventKind.KindChange, KindPayload.Length, out payload, static p => new(p));

    /// <inheritdoc />
    public override string ToString() => $"{KindName} seq={Sequence} count={Count} len={Payload.Length}";

    private delegate T ViewFactory<T>(ReadOnlySpan<byte> payload)
        where T : allows ref struct;

    private bool Is<T>(EventKind kind, int length, out T view, ViewFactory<T> create)
        where T : allows ref struct
    {
        ReadOnlySpan<byte> p = Payload.Span;
        if (Kind != kind || p.Length < length)
        {
            view = default!;
            return false;
        }

        view = create(p);
        return true;
    }

    // IFADDR's addr is 4 or 16 bytes as its family says; the only Address field so far.
    private int AddressLength() =>
        TryGetIfaddr(out IfaddrPayload a) ? (a.Family == IfaddrFamily.Inet ? 4 : 16) : 0;
}
