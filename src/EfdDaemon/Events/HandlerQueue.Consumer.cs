using Microsoft.Extensions.Logging;

namespace EfdDaemon.Events;

/// <summary>The consumer side: runs on the handler's own thread.</summary>
internal sealed partial class HandlerQueue
{
    private void Consume()
    {
        // The payload lives here while HandleAsync runs: the slot can be reused by the reader meanwhile.
        byte[] payload = new byte[KernelEvent.MaxPayloadLength];
        bool finished = false;
        while (TryTake(finished, out EventRecord current))
        {
            Invoke(current.ToKernelEvent(payload));
            finished = true;
        }
    }

    /// <summary>
    /// Ends the previous call (<paramref name="finishedPrevious"/>), then takes the oldest event,
    /// sleeping on the doorbell while the queue is empty; false once completed and empty.
    /// </summary>
    /// <remarks>
    /// Events leave the queue up to <see cref="TakeBatch"/> at a time, under one lock, so a busy consumer
    /// and the reader do not trade the lock and its cache lines every event. Between the calls of one
    /// batch no lock is taken: the oldest unfinished event is published as each call begins (a demotion
    /// meanwhile is seen at the next call, so commits are only ever held back too long, never let
    /// through early), and a reader waiting for the queue to shrink is rung as the call that shrinks it enough ends.
    /// </remarks>
    private bool TryTake(bool finishedPrevious, out EventRecord record)
    {
        if (finishedPrevious && _takenNext < _takenCount && !Volatile.Read(ref _frozen))
        {
            record = _taken[_takenNext];
            Volatile.Write(ref _takenNext, _takenNext + 1);
            Volatile.Write(ref _inCallSequence, record.Sequence);
            Volatile.Write(ref _oldestUnfinished, HoldsReader(Volatile.Read(ref _settings), State) ? record.Sequence : NothingUnfinished);
            int wakeAt = Volatile.Read(ref _readerWakeAt);
            if (wakeAt >= 0 && QueueLength <= wakeAt)
            {
                RingReaderIfArmed();
            }

            return true;
        }

        bool wakeReader = false;
        bool restored = false;
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (finishedPrevious)
                    {
                        finishedPrevious = false;
                        _inCall = false;
                        Volatile.Write(ref _takenCount, 0);
                        Volatile.Write(ref _takenNext, 0);
                    }

                    if (_state == HandlerState.Demoted && _count * 2 < _capacity)
                    {
                        _state = HandlerState.Normal;
                        restored = true;
                    }

                    if (_count > 0)
                    {
                        int n = Math.Min(_count, TakeBatch);
                        for (int i = 0; i < n; i++)
                        {
                            _taken[i] = _slots[_head];
                            _head = (_head + 1) % _slots.Length;
                        }

                        _count -= n;
                        Volatile.Write(ref _takenCount, n);
                        Volatile.Write(ref _takenNext, 1);
                        record = _taken[0];
                        _inCall = true;
                        _inCallSequence = record.Sequence;
                        UpdateOldestLocked();
                        wakeReader |= TakeReaderWakeLocked();
                        return true;
                    }

                    UpdateOldestLocked();
                    wakeReader |= TakeReaderWakeLocked();
                    if (_completing)
                    {
                        record = default;
                        return false;
                    }

                    _consumerWaiting = true;
                }

                Notify();
                _timeout.Idle();
                _doorbell.Wait();
            }
        }
        finally
        {
            Notify();
        }

        // Outside the gate: ring the reader, log a restore, each once.
        void Notify()
        {
            if (wakeReader)
            {
                wakeReader = false;
                _wakeReader();
            }

            if (restored)
            {
                restored = false;
                Log.HandlerRestored(_logger, Name, Settings.Policy);
            }
        }
    }

    /// <summary>Whether the reader asked to be rung once the events waiting are down to its threshold, and they are; disarms it. Under the gate.</summary>
    private bool TakeReaderWakeLocked()
    {
        if (_readerWakeAt >= 0 && QueueLength <= _readerWakeAt)
        {
            _readerWakeAt = -1;
            return true;
        }

        return false;
    }

    private void RingReaderIfArmed()
    {
        bool ring;
        lock (_gate)
        {
            ring = TakeReaderWakeLocked();
        }

        if (ring)
        {
            _wakeReader();
        }
    }

    private void Invoke(KernelEvent kernelEvent)
    {
        long started = _time.GetTimestamp();
        CancellationToken token = _timeout.Begin(Volatile.Read(ref _settings).Timeout, started);
        try
        {
            ValueTask pending = _handler.HandleAsync(kernelEvent, token);
            if (pending.IsCompleted)
            {
                pending.GetAwaiter().GetResult();
            }
            else
            {
                // Waited to the end, past a timeout too: calls to one handler never overlap.
                WaitUntilAbandoned(pending.AsTask());
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Cancelled by the timeout (counted by OnTimedOut) or by an abandoned drain.
        }
#pragma warning disable CA1031 // A handler's exception is logged and counted; the handler is kept.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Counters.AddFailure();
            Log.HandlerFailed(_logger, Name, kernelEvent.Sequence, EventKindNames.GetName(kernelEvent.Kind), ex);
        }
        finally
        {
            _timeout.End();
            Counters.AddHandled();
            if (_duration is { Enabled: true } duration)
            {
                // Only while something listens (an exporter, dotnet-counters): the clock read and the
                // record cost a fifth of a no-op call otherwise.
                duration.Record(_time.GetElapsedTime(started).TotalSeconds, _tag);
            }
        }
    }

    private void WaitUntilAbandoned(Task task)
    {
        try
        {
            task.Wait(_timeout.AbandonToken);
        }
        catch (AggregateException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
        }
    }

    /// <summary>Runs on the timer's thread when the call in progress outlived its timeout and was cancelled.</summary>
    private void OnTimedOut()
    {
        ulong seq = Volatile.Read(ref _inCallSequence);
        Counters.AddTimeout();
        LossLog(LossHop.Timeout).Add(seq, seq);
    }

    /// <summary>
    /// Runs on the timer's thread when a cancelled call is still running a second <c>Timeout</c>
    /// later: the handler ignores cancellation. Quarantined: its call is abandoned (finished, for
    /// commits) and its queue drops the oldest from now on, so it can no longer hold the reader.
    /// </summary>
    private void OnIgnoredCancellation()
    {
        int length;
        lock (_gate)
        {
            if (_state == HandlerState.Quarantined)
            {
                return;
            }

            _state = HandlerState.Quarantined;
            length = _count;
            UpdateOldestLocked();
        }

        Log.HandlerQuarantined(_logger, Name, Volatile.Read(ref _inCallSequence), Volatile.Read(ref _settings).Timeout * 2, length);
        _wakeReader();
    }
}
