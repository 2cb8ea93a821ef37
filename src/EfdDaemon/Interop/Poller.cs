namespace EfdDaemon.Interop;

/// <summary>poll(2) over a fixed set of descriptors, each held (AddRef) while the poller lives.</summary>
/// <remarks>One thread owns a poller; it is not thread-safe.</remarks>
internal sealed unsafe class Poller : IDisposable
{
    private readonly FileDescriptor[] _fds;
    private readonly NativeMethods.PollFd[] _pollFds;
    private readonly bool[] _added;

    public Poller(params FileDescriptor[] fds)
    {
        _fds = fds;
        _pollFds = new NativeMethods.PollFd[fds.Length];
        _added = new bool[fds.Length];
        for (int i = 0; i < fds.Length; i++)
        {
            fds[i].DangerousAddRef(ref _added[i]);
            _pollFds[i] = new NativeMethods.PollFd { Fd = fds[i].Number, Events = NativeMethods.PollIn };
        }
    }

    /// <summary>Waits until a descriptor is readable (or fails); -1 waits forever. Retries EINTR.</summary>
    public void Wait(int timeoutMs)
    {
        fixed (NativeMethods.PollFd* p = _pollFds)
        {
            var op = new PollOp(p, _pollFds.Length, timeoutMs);
            if (Errno.RetryOnEintr(&PollOp.Poll, ref op) < 0)
            {
                throw Errno.Exception("poll");
            }
        }
    }

    /// <summary>Tells whether descriptor <paramref name="index"/> is readable after the last <see cref="Wait"/>.</summary>
    public bool IsReadable(int index) => (_pollFds[index].Revents & NativeMethods.PollIn) != 0;

    /// <summary>Tells whether descriptor <paramref name="index"/> reported POLLERR, POLLHUP or POLLNVAL.</summary>
    public bool HasFailed(int index) =>
        (_pollFds[index].Revents & (NativeMethods.PollErr | NativeMethods.PollHup | NativeMethods.PollNval)) != 0;

    /// <summary>Stops watching descriptor <paramref name="index"/> (poll ignores negative numbers).</summary>
    public void Ignore(int index) => _pollFds[index].Fd = -1;

    /// <summary>Watches descriptor <paramref name="index"/> again after <see cref="Ignore"/>.</summary>
    public void Watch(int index) => _pollFds[index].Fd = _fds[index].Number;

    public void Dispose()
    {
        for (int i = 0; i < _fds.Length; i++)
        {
            if (_added[i])
            {
                _fds[i].DangerousRelease();
                _added[i] = false;
            }
        }
    }

    private readonly struct PollOp(NativeMethods.PollFd* fds, int count, int timeoutMs)
    {
        private readonly NativeMethods.PollFd* _fds = fds;
        private readonly int _count = count;
        private readonly int _timeoutMs = timeoutMs;

        public static long Poll(ref PollOp op) => NativeMethods.PollNoCancel(op._fds, (nuint)op._count, op._timeoutMs);
    }
}
