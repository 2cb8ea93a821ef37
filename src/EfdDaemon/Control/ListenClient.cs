using System.Threading.Channels;
using EfdDaemon.Events;

namespace EfdDaemon.Control;

/// <summary>
/// One <c>listen</c> client's bounded buffer. The reader thread only tries to write into it; when
/// it is full the event is skipped and counted, and the client is told <c>{"skipped":N}</c> later.
/// </summary>
internal sealed class ListenClient
{
    public const int Capacity = 1024;

    private readonly Channel<EventRecord> _channel;
    private readonly KindFilter _kinds;
    private readonly DeliveryCounters? _counters;
    private long _skipped;

    /// <param name="kinds">The kinds the client asked for.</param>
    /// <param name="counters">Where skips are counted daemon-wide (hop listener), besides the client's own report.</param>
    public ListenClient(KindFilter kinds, DeliveryCounters? counters = null)
    {
        _kinds = kinds;
        _counters = counters;
        _channel = Channel.CreateBounded<EventRecord>(
            new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public ChannelReader<EventRecord> Reader => _channel.Reader;

    /// <summary>Called on the reader thread: never blocks.</summary>
    public void Offer(in EventRecord record)
    {
        if (_kinds.Contains(record.Kind, record.Format) && !_channel.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _skipped);
            _counters?.AddListenerSkipped(1);
        }
    }

    public long TakeSkipped() => Interlocked.Exchange(ref _skipped, 0);

    public void Complete() => _channel.Writer.TryComplete();
}
