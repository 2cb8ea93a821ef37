using System.Diagnostics;
using EfdDaemon.Bench;

namespace EfdDaemon.LatencyBench;

/// <summary>
/// Path <c>proto</c>: not the daemon's code, a sketch of the reader-to-handler handoff changes this
/// benchmark suggests, measured beside the daemon in the same run:
/// <list type="bullet">
/// <item>a single-producer single-consumer ring, no lock shared by reader and consumer;</item>
/// <item>the reader drains the eventfd (reads until EAGAIN: in semaphore mode one read per unit)
/// before it polls again, and wakes the consumer once per drained batch, only when it sleeps;</item>
/// <item>when the ring is full the reader stops reading and sleeps until the consumer frees room:
/// the kernel's counter holds the backlog (semaphore mode) or coalesces it (counter mode), so
/// nothing is dropped and no reads are wasted on events that would be;</item>
/// <item>the consumer drains the ring before it parks in poll+read on its wake-up eventfd.</item>
/// </list>
/// </summary>
internal sealed class ProtoHandoff : IDisposable
{
    private const int Capacity = 1024;
    private readonly ulong[] _ring = new ulong[Capacity];
    private readonly int _eventfd;
    private readonly int _consumerWake;
    private readonly int _readerWake;
    private readonly IEventHandler _handler;
    private readonly Thread _reader;
    private readonly Thread _consumer;
    private long _head; // written by the consumer
    private long _tail; // written by the reader
    private int _consumerParked;
    private int _readerParked;
    private volatile bool _stop;

    public ProtoHandoff(IEventHandler handler, bool semaphore)
    {
        _handler = handler;
        _eventfd = BenchNative.CreateEventfd(semaphore ? BenchNative.EfdSemaphore : 0);
        _consumerWake = BenchNative.CreateEventfd();
        _readerWake = BenchNative.CreateEventfd();
        _reader = new Thread(Read) { IsBackground = true, Name = "proto-reader" };
        _consumer = new Thread(Consume) { IsBackground = true, Name = "proto-handler" };
        _consumer.Start();
        _reader.Start();
    }

    public int EventfdNumber => _eventfd;

    public void Dispose()
    {
        _stop = true;
        BenchNative.Write(_eventfd, 1);
        BenchNative.Write(_readerWake, 1);
        BenchNative.Write(_consumerWake, 1);
        _reader.Join();
        _consumer.Join();
        BenchNative.Close(_eventfd);
        BenchNative.Close(_consumerWake);
        BenchNative.Close(_readerWake);
    }

    private void Read()
    {
        while (!_stop)
        {
            if (_tail - Volatile.Read(ref _head) == Capacity)
            {
                // Full: leave the rest in the kernel's counter until the consumer makes room.
                Interlocked.Exchange(ref _readerParked, 1);
                if (_tail - Volatile.Read(ref _head) == Capacity)
                {
                    BenchNative.WaitRead(_readerWake);
                }

                Interlocked.Exchange(ref _readerParked, 0);
                continue;
            }

            ulong value = BenchNative.WaitRead(_eventfd);
            bool more = true;
            while (more)
            {
                _ring[_tail % Capacity] = value;
                Volatile.Write(ref _tail, _tail + 1);
                more = _tail - Volatile.Read(ref _head) < Capacity && BenchNative.TryRead(_eventfd, out value);
            }

            // Full fence between publishing the batch and reading the flag (pairs with the consumer's Exchange).
            if (Interlocked.CompareExchange(ref _consumerParked, 0, 1) == 1)
            {
                BenchNative.Write(_consumerWake, 1);
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
                Interlocked.Exchange(ref _consumerParked, 1);
                if (head == Volatile.Read(ref _tail))
                {
                    BenchNative.WaitRead(_consumerWake);
                }

                Interlocked.Exchange(ref _consumerParked, 0);
                continue;
            }

            ulong count = _ring[head % Capacity];
            Volatile.Write(ref _head, head + 1);
            if (Interlocked.CompareExchange(ref _readerParked, 0, 1) == 1)
            {
                BenchNative.Write(_readerWake, 1);
            }

            var e = new KernelEvent(0, EventKind.Signal, count, 0, default, payload.AsMemory(0, 0));
            ValueTask pending = _handler.HandleAsync(e, CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
