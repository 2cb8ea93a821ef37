namespace EfdDaemon.TestSupport;

public static class TestTimeouts
{
    /// <summary>The bound after which a wait counts as failed; never a synchronisation delay.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
}
