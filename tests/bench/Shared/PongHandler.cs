namespace EfdDaemon.Bench;

/// <summary>
/// The benchmark's no-op handler: counts events and units in a <see cref="BenchState"/> and, while
/// the state says so, writes the <c>CLOCK_MONOTONIC</c> time of its entry to the pong eventfd (the
/// value the signaller reads back is its wake-to-handler time; the C baseline's reader does the same).
/// </summary>
/// <remarks>
/// Allocates nothing. One consumer calls it at a time (the dispatcher's contract). A counter update
/// and one write to an eventfd that never blocks: what <see cref="IInlineEventHandler"/> is for, so
/// it runs on the daemon's fast path unless <c>Handlers:BenchPong:InlineBudget</c> is 0.
/// </remarks>
public sealed class PongHandler : IInlineEventHandler
{
    private readonly BenchState _state;

    /// <summary>Initializes the handler over a state it does not own.</summary>
    /// <param name="state">The pong eventfd and the shared counters.</param>
    /// <param name="name">The handler's name (several instances need distinct names).</param>
    public PongHandler(BenchState state, string name = "BenchPong")
    {
        _state = state;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void Handle(KernelEvent kernelEvent) => _state.Record(kernelEvent.Count);
}
