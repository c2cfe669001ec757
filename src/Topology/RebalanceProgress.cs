namespace KubeCache.Topology;

/// <summary>The outcome of one <see cref="RebalanceCoordinator"/> step.</summary>
/// <param name="Phase">What the step found or did.</param>
/// <param name="Epoch">The epoch of the ring document after the step.</param>
/// <param name="Pending">Nodes that have not reported done for the epoch (Started, InProgress).</param>
/// <param name="TimedOut">Nodes not done and routers not on the epoch when the deadline passed (FinishedAfterDeadline).</param>
/// <param name="KeysLeft">
/// Keys still to hand off, summed over the nodes that reported for this epoch; after the
/// deadline, the keys that were not moved (lost when their holder leaves).
/// </param>
public sealed record RebalanceProgress(
    RebalancePhase Phase,
    long Epoch,
    IReadOnlyList<string> Pending,
    IReadOnlyList<string> TimedOut,
    long KeysLeft)
{
    /// <summary>Routers that have not applied the epoch yet (InProgress).</summary>
    public IReadOnlyList<string> PendingRouters { get; init; } = [];

    /// <summary>Keys sent to their new owners so far, summed over the nodes that reported for this epoch.</summary>
    public long KeysSent { get; init; }

    /// <summary>Keys dropped because their new owner had no room for them, summed over the nodes that reported for this epoch.</summary>
    public long KeysDropped { get; init; }

    /// <summary>Nodes whose handoff is retrying after a failure, as "name: last error" (InProgress).</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Whether the coordinator has nothing left to do for the published members.</summary>
    public bool IsComplete => Phase is RebalancePhase.Stable or RebalancePhase.Finished or RebalancePhase.FinishedAfterDeadline;
}
