using System.Diagnostics;

namespace EfdDaemon.Bench;

/// <summary>
/// The benchmark's no-op handler: counts events and units in a <see cref="BenchState"/> and, while
/// the state says so, writes the <c>CLOCK_MONOTONIC</c> time of its entry to the pong eventfd (the
/// value the signaller reads back is its wake-to-handler time; the C baseline's reader does the same).
/// </summary>
/// <remarks>Allocates nothing. One consumer calls it at a time (the dispatcher's contract).</remarks>
public sealed class PongHandler : IEventHandler
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
    public ValueTask HandleAsync(KernelEvent kernelEvent, CancellationToken cancellationToken)
    {
        _state.Record(kernelEvent.Count, Stopwatch.GetTimestamp());
        return default;
    }
}
