namespace KubeCache.Topology;

/// <summary>Settings of the <see cref="RebalanceCoordinator"/>.</summary>
public sealed class RebalanceOptions
{
    /// <summary>
    /// How long a rebalance may wait for handoffs, counted from its start, before it finishes
    /// anyway and reports the members that did not finish. Default 10 minutes: long enough to
    /// stream a few GiB between pods, short enough that a dead node does not hold the ring
    /// in transition (and scale-down pending) for long. Must be positive.
    /// </summary>
    public TimeSpan HandoffDeadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Time between steps in <see cref="RebalanceCoordinator.RunToCompletionAsync"/>. Default
    /// 200 milliseconds: a status request per member five times a second is cheap, and a
    /// finished handoff is noticed quickly. Must be positive.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}
