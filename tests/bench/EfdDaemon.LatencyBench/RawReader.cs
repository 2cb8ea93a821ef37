using System.Diagnostics;
using EfdDaemon.Bench;

namespace EfdDaemon.LatencyBench;

/// <summary>
/// The path "dotnet": the C reader written in C# (a dedicated thread in poll()+read()), with no
/// daemon code. It separates what .NET itself costs from what the daemon's handoff costs.
/// </summary>
internal sealed class RawReader
{
    private readonly int _pingFd;
    private readonly int _pongFd;
    private readonly bool _answer;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _events;
    private long _units;

    public RawReader(int pingFd, int pongFd, bool answer, int cpu)
    {
        _pingFd = pingFd;
        _pongFd = pongFd;
        _answer = answer;
        _thread = new Thread(() => Run(cpu)) { IsBackground = true, Name = "bench-reader" };
        _thread.Start();
    }

    public (long Events, long Units) Counts => (Volatile.Read(ref _events), Volatile.Read(ref _units));

    public void Stop()
    {
        _stop = true;
        BenchNative.Write(_pingFd, 1);
        _thread.Join();
    }

    private void Run(int cpu)
    {
        if (cpu >= 0)
        {
            BenchNative.PinThread(0, cpu);
        }

        while (true)
        {
            ulong v = BenchNative.WaitRead(_pingFd);
            long entered = Stopwatch.GetTimestamp();
            if (_stop)
            {
                return;
            }

            Volatile.Write(ref _events, _events + 1);
            Volatile.Write(ref _units, _units + (long)v);
            if (_answer)
            {
                BenchNative.Write(_pongFd, (ulong)entered);
            }
        }
    }
}
