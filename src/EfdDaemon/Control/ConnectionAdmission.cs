using EfdDaemon.Protocol;

namespace EfdDaemon.Control;

/// <summary>
/// The cap on open control connections (<see cref="ControlSocketOptions.MaxControlConnections"/>),
/// and its bursts: a burst of refusals starts at the first refused connection and ends when one is
/// admitted again, so the log gets one line per burst however many are refused.
/// </summary>
internal sealed class ConnectionAdmission(int maxConnections)
{
    private bool _refusing;

    public int MaxConnections => maxConnections;

    /// <summary>Gets whether the last refusal was the first of its burst.</summary>
    public bool StartsBurst { get; private set; }

    /// <summary>Gets the line a refused client reads before the close.</summary>
    public byte[] RefusalLine { get; } = ControlSession.Encode(ControlReply.Failure($"too many control connections (limit {maxConnections}); try again later"));

    /// <summary>Decides for one new connection, given how many are open; called by the accept loop only.</summary>
    public bool Admit(int open)
    {
        if (open < maxConnections)
        {
            _refusing = false;
            StartsBurst = false;
            return true;
        }

        StartsBurst = !_refusing;
        _refusing = true;
        return false;
    }
}
