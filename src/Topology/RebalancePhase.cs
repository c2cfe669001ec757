namespace KubeCache.Topology;

/// <summary>What a <see cref="RebalanceCoordinator"/> step found or did.</summary>
public enum RebalancePhase
{
    /// <summary>No rebalance in progress and the published members are the desired ones.</summary>
    Stable,

    /// <summary>This step published a new epoch with <see cref="RingDocument.Previous"/>: handoff begins.</summary>
    Started,

    /// <summary>A rebalance is in progress and some members of the previous generation have not finished.</summary>
    InProgress,

    /// <summary>Every member finished its handoff; this step published the epoch without <see cref="RingDocument.Previous"/>.</summary>
    Finished,

    /// <summary>
    /// The handoff deadline passed; this step published the epoch without
    /// <see cref="RingDocument.Previous"/> although the members in
    /// <see cref="RebalanceProgress.TimedOut"/> had not finished (their keys not yet moved are lost).
    /// </summary>
    FinishedAfterDeadline,
}
