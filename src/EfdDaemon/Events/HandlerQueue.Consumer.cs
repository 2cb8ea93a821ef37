using System.Diagnostics;
using EfdDaemon.Logging;
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
        TimeSpan timeout = Volatile.Read(ref _settings).Timeout;
        CancellationToken token = _timeout.Begin(timeout);
        long started = _time.GetTimestamp();
        bool timedOut = false;
        try
        {
            ValueTask pending = _handler.HandleAsync(kernelEvent, token);
            if (pending.IsCompleted)
            {
                pending.GetAwaiter().GetResult();
            }
            else
            {
                timedOut = WaitSlowCall(pending.AsTask(), timeout, kernelEvent);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Cancelled by the timeout (counted below) or by an abandoned drain.
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
            bool cancelled = _timeout.End();
            if (cancelled && !timedOut)
            {
                CountTimeout(kernelEvent, timeout);
            }

            Interlocked.Increment(ref _handled);
            _metrics?.HandlerDuration.Record(_time.GetElapsedTime(started).TotalSeconds, _tag);
        }
    }

    /// <summary>Waits for an asynchronous call; past its timeout it is counted, and then awaited to the end so calls never overlap.</summary>
    private bool WaitSlowCall(Task task, TimeSpan timeout, in KernelEvent kernelEvent)
    {
        bool timedOut = false;
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(timeout))
        {
            timedOut = true;
            _timeout.CancelNow();
            CountTimeout(kernelEvent, timeout);
        }

        try
        {
            task.Wait(_timeout.AbandonToken);
        }
        catch (AggregateException ex)
        {
            Debug.Assert(ex.InnerException is not null, "A faulted task carries its exception.");
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException!);
        }

        return timedOut;
    }

    private void CountTimeout(in KernelEvent kernelEvent, TimeSpan timeout)
    {
        Interlocked.Increment(ref _timeouts);
        _metrics?.Timeouts.Add(1, _tag);
        Log.HandlerTimedOut(_logger, Name, kernelEvent.Sequence, timeout);
    }
}
