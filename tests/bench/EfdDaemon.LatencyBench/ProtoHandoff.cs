using EfdDaemon.Bench;

namespace EfdDaemon.LatencyBench;

/// <summary>
/// Path <c>proto</c>: not the daemon's code, a sketch of another reader-to-handler handoff, measured
/// beside the daemon to show what a change would buy. The reader (poll+read on the eventfd, as the
/// daemon's) puts the event in a single-producer single-consumer ring and wakes the handler's thread
/// only when it sleeps, through an eventfd written outside any lock; the consumer parks in poll+read
/// on that eventfd. No user-space lock is shared, so a wake-up never meets a held lock.
/// </summary>
internal sealed class ProtoHandoff : IDisposable
{
    private const int Capacity = 1024;
    private readonly (ulong Count, long ReadAt)[] _ring = new (ulong, long)[Capacity];
    private readonly int _eventfd;
    private readonly int _wakeFd;
    private readonly IEventHandler _handler;
    private readonly Thread _reader;
    private readonly Thread _consumer;
    private long _head; // consumer's
    private long _tail; // reader's
    private int _parked;
    private volatile bool _stop;

    public ProtoHandoff(IEventHandler handler, bool semaphore)
    {
        _handler = handler;
        _eventfd = BenchNative.CreateEventfd(semaphore ? BenchNative.EfdSemaphore : 0);
        _wakeFd = BenchNative.CreateEventfd();
        _reader = new Thread(Read) { IsBackground = true, Name = "proto-reader" };
        _consumer = new Thread(Consume) { IsBackground = true, Name = "proto-handler" };
        _consumer.Start();
        _reader.Start();
    }

    public int EventfdNumber => _eventfd;

    public long Dropped { get; private set; }

    public void Dispose()
    {
        _stop = true;
        BenchNative.Write(_eventfd, 1);
        BenchNative.Write(_wakeFd, 1);
        _reader.Join();
        _consumer.Join();
        BenchNative.Close(_eventfd);
        BenchNative.Close(_wakeFd);
    }

    private void Read()
    {
        while (!_stop)
        {
            ulong value = BenchNative.WaitRead(_eventfd);
            long tail = _tail;
            if (tail - Volatile.Read(ref _head) == Capacity)
            {
                Dropped++;
                continue;
            }

            _ring[tail % Capacity] = (value, System.Diagnostics.Stopwatch.GetTimestamp());
            Volatile.Write(ref _tail, tail + 1);
            // Full fence between publishing the slot and reading the flag (pairs with the consumer's Exchange).
            if (Interlocked.CompareExchange(ref _parked, 0, 1) == 1)
            {
                BenchNative.Write(_wakeFd, 1);
            }
        }
    }

    private void Consume()
    {
        byte[] payload = new byte[KernelEvent.MaxPayloadLength];
        while (!_stop)
        {
            long head = _head;
            if (head == Volatile.Read(ref _tail))
            {
                Interlocked.Exchange(ref _parked, 1);
                if (head == Volatile.Read(ref _tail))
                {
                    BenchNative.WaitRead(_wakeFd);
                }

                // Either woken (the reader cleared the flag) or work arrived meanwhile: clear it ourselves.
                Interlocked.Exchange(ref _parked, 0);
                continue;
            }

            (ulong count, long readAt) = _ring[head % Capacity];
            Volatile.Write(ref _head, head + 1);
            var e = new KernelEvent(0, EventKind.Signal, count, 0, default, payload.AsMemory(0, 0));
            _ = readAt;
            ValueTask pending = _handler.HandleAsync(e, CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
