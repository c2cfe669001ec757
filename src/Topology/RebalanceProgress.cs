namespace KubeCache.Topology;

/// <summary>The outcome of one <see cref="RebalanceCoordinator"/> step.</summary>
/// <param name="Phase">What the step found or did.</param>
/// <param name="Epoch">The epoch of the ring document after the step.</param>
/// <param name="Pending">Members of the previous generation that have not reported done (Started, InProgress).</param>
/// <param name="TimedOut">Members that had not reported done when the deadline passed (FinishedAfterDeadline).</param>
/// <param name="KeysLeft">Keys still to hand off, summed over the members that reported for this epoch.</param>
public sealed record RebalanceProgress(
    RebalancePhase Phase,
    long Epoch,
    IReadOnlyList<string> Pending,
    IReadOnlyList<string> TimedOut,
    long KeysLeft)
{
    /// <summary>Whether the coordinator has nothing left to do for the published members.</summary>
    public bool IsComplete => Phase is RebalancePhase.Stable or RebalancePhase.Finished or RebalancePhase.FinishedAfterDeadline;
}
