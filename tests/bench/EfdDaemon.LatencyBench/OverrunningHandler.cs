using System.Diagnostics;

namespace EfdDaemon.LatencyBench;

/// <summary>
/// Path <c>demoted</c>'s second handler: on the fast path beside the bench's no-op handler, it spins
/// for 2 ms (100 budgets) on calls 10 to 40, so it leaves the reader thread during the warm-up (a
/// spin the scheduler interrupted is excused, so it has thirty tries), and is a no-op on its queue
/// afterwards. The row then shows the no-op handler's wake-to-handler latency once the other has left.
/// </summary>
internal sealed class OverrunningHandler : IInlineEventHandler
{
    public const string HandlerName = "Overrunning";
    private static readonly long Spin = Stopwatch.Frequency / 500;
    private long _calls;

    public string Name => HandlerName;

    public void Handle(KernelEvent kernelEvent)
    {
        long call = ++_calls;
        if (call is >= 10 and <= 40)
        {
            long until = Stopwatch.GetTimestamp() + Spin;
            while (Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(10);
            }
        }
    }
}
