using EfdDaemon.Events;
using EfdDaemon.Kernel;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EfdDaemon.Tests.Events;

public sealed class EventfdSourceTests
{
    [RequiresToolFact("mkfifo", "coreutils")]
    public async Task RecordsFromTheDeviceBecomeOneEventEachAndSequenceGapsAreCounted()
    {
        // A FIFO stands in for /dev/efd_lkm: whole 128-byte records, non-blocking, pollable.
        using var dir = new TempDirectory();
        string fifo = dir.Combine("efd_lkm");
        Assert.Equal(0, Tools.Run(Prerequisites.Tool("mkfifo", "coreutils"), fifo).ExitCode);
        var logs = new FakeLogCollector();
        var sink = new CollectingSink();
        var time = new FakeTimeProvider();
        using var source = new EventfdSource(EventfdMode.Counter, time, new FakeLogger(logs));
        source.OpenRecordDevice(fifo);
        await using var device = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        source.Start(sink, ex => Assert.Fail(ex.ToString()));

        await device.WriteAsync(Records(1, 2, 5));
        await device.FlushAsync();
        source.Signal();
        await sink.WaitForAsync(3);
        source.Stop();

        Assert.Equal([1UL, 2UL, 5UL], sink.Records.Select(r => r.Sequence));
        Assert.All(sink.Records, r => Assert.Equal(EventKind.Trigger, r.Kind));
        Assert.Equal(2, source.Counters.KernelLost);
        Assert.Equal(3, source.Counters.Received);
        time.Advance(BurstLog.Window);
        FakeLogRecord gap = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 2006);
        Assert.Contains("overwrote 2 records before the daemon read them (seq 3-4;", gap.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutADeviceAWakeUpIsOneSignalEventCarryingTheCounter()
    {
        var sink = new CollectingSink();
        using var source = new EventfdSource(EventfdMode.Counter, TimeProvider.System, new FakeLogger());
        source.Signal(41);
        source.Signal(1);
        source.Start(sink, ex => Assert.Fail(ex.ToString()));

        await sink.WaitForAsync(1);
        source.Stop();

        EventRecord r = Assert.Single(sink.Records);
        Assert.Equal(EventKind.Signal, r.Kind);
        Assert.Equal(42UL, r.Count);
        Assert.Equal(0UL, r.Sequence);
    }

    [Fact]
    public async Task AReaderThatDiesIsLoggedCriticalAndReported()
    {
        var logs = new FakeLogCollector();
        var fault = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var source = new EventfdSource(EventfdMode.Counter, TimeProvider.System, new FakeLogger(logs));
        source.Start(new ThrowingSink(), ex => fault.TrySetResult(ex));

        source.Signal();
        Exception reported = await fault.Task.WaitAsync(TestTimeouts.Bound);

        Assert.IsType<InvalidOperationException>(reported);
        FakeLogRecord critical = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 2003);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Critical, critical.Level);
    }

    private sealed class ThrowingSink : IEventSink
    {
        public void Publish(in EventRecord record) => throw new InvalidOperationException("sink broke");

        public void EndOfBatch()
        {
        }
    }

    private static byte[] Records(params ulong[] sequences)
    {
        byte[] bytes = new byte[sequences.Length * EfdLkmRecord.Size];
        for (int i = 0; i < sequences.Length; i++)
        {
            var r = new EfdLkmRecord { Seq = sequences[i], TsNs = 10, Kind = (uint)EventKind.Trigger, Len = 8 };
            System.Runtime.InteropServices.MemoryMarshal.Write(bytes.AsSpan(i * EfdLkmRecord.Size), in r);
        }

        return bytes;
    }

    private sealed class CollectingSink : IEventSink
    {
        private readonly Lock _lock = new();
        private readonly List<EventRecord> _records = [];
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

        public IReadOnlyList<EventRecord> Records
        {
            get
            {
                lock (_lock)
                {
                    return [.. _records];
                }
            }
        }

        public void Publish(in EventRecord record)
        {
            lock (_lock)
            {
                _records.Add(record);
                foreach (var w in _waiters.Where(w => _records.Count >= w.Count))
                {
                    w.Done.TrySetResult();
                }
            }
        }

        public void EndOfBatch()
        {
        }

        public Task WaitForAsync(int count)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                if (_records.Count >= count)
                {
                    return Task.CompletedTask;
                }

                _waiters.Add((count, done));
            }

            return done.Task.WaitAsync(TestTimeouts.Bound);
        }
    }
}
