namespace EfdDaemon.Events;

/// <summary>
/// Whether a counter-mode reader should read again before it sleeps. Another read takes what
/// writers on other CPUs added while the handlers ran, without a wake-up; when the writers share
/// the reader's CPU it always finds nothing and only costs a system call. So after
/// <see cref="GiveUpAfter"/> such misses in a row it is skipped, and tried on one wake in
/// <see cref="ProbeEvery"/> to notice when that changes. Reader thread only.
/// </summary>
internal struct RereadPolicy
{
    public const int GiveUpAfter = 16;
    public const int ProbeEvery = 64;

    private int _misses;
    private int _skipped;

    public bool Worthwhile()
    {
        if (_misses < GiveUpAfter || ++_skipped >= ProbeEvery)
        {
            _skipped = 0;
            return true;
        }

        return false;
    }

    public void Note(bool found) => _misses = found ? 0 : Math.Min(_misses + 1, GiveUpAfter);
}
