using Microsoft.Extensions.Logging;

namespace EfdDaemon.Events;

/// <summary>The consumer side: runs on the handler's own thread.</summary>
internal sealed partial class HandlerQueue
{
    private void Consume()
    {
        // The payload lives here while HandleAsync runs: the slot can be reused by the reader meanwhile.
        byte[] payload = new byte[KernelEvent.MaxPayloadLength];
        while (TryTake(out EventRecord current))
        {
            Invoke(current.ToKernelEvent(payload));
        }
    }

    /// <summary>Takes the oldest event, sleeping on the doorbell while the queue is empty; false once completed and empty.</summary>
    private bool TryTake(out EventRecord record)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_count > 0)
                {
                    record = _slots[_head];
                    _head = (_head + 1) % _slots.Length;
                    _count--;
                    return true;
                }

                if (_completing)
                {
                    record = default;
                    return false;
                }

                _consumerWaiting = true;
            }

            _doorbell.Wait();
        }
    }

    private void Invoke(KernelEvent kernelEvent)
    {
        Volatile.Write(ref _currentSequence, kernelEvent.Sequence);
        CancellationToken token = _timeout.Begin(Volatile.Read(ref _settings).Timeout);
        long started = _time.GetTimestamp();
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
            Interlocked.Increment(ref _failures);
            _metrics?.Failures.Add(1, _tag);
            Log.HandlerFailed(_logger, Name, kernelEvent.Sequence, EventKindNames.GetName(kernelEvent.Kind), ex);
        }
        finally
        {
            _timeout.End();
            Interlocked.Increment(ref _handled);
            _metrics?.HandlerDuration.Record(_time.GetElapsedTime(started).TotalSeconds, _tag);
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
        Interlocked.Increment(ref _timeouts);
        _metrics?.Timeouts.Add(1, _tag);
        Log.HandlerTimedOut(_logger, Name, Volatile.Read(ref _currentSequence), Volatile.Read(ref _settings).Timeout);
    }
}
