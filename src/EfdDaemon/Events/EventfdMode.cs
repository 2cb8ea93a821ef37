namespace EfdDaemon.Events;

/// <summary>How the daemon's eventfd counts (configuration <c>Daemon:EventfdMode</c>).</summary>
internal enum EventfdMode
{
    /// <summary>One read returns and resets the whole counter: signals coalesce.</summary>
    Counter,

    /// <summary><c>EFD_SEMAPHORE</c>: one read per signal.</summary>
    Semaphore,
}
