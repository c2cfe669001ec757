using KubeCache.Operator.Resources;
using KubeCache.Topology;

namespace KubeCache.Operator.Reconcile;

/// <summary>What one reconcile saw and did, from which <see cref="StatusCalculator"/> writes the status.</summary>
/// <param name="Cluster">The KvCluster as read (its generation, and the status written before).</param>
/// <param name="Ring">The ring document after the coordinator's step; null when none is published.</param>
/// <param name="Progress">The coordinator's step, or null when it was not asked (no members to publish yet).</param>
/// <param name="WaitingFor">Wanted pods that are not Ready yet.</param>
/// <param name="NotReadyMembers">Ring members whose pods are not Ready.</param>
/// <param name="Replicas">Node pods that exist.</param>
/// <param name="ReadyReplicas">Node pods that are Ready.</param>
/// <param name="Monitors">The ServiceMonitor and PodMonitor the spec asks for, applied or not; none asked for when null.</param>
/// <param name="Rollout">The node rollout's step; null is <see cref="RolloutStep.None"/>.</param>
public sealed record ClusterObservation(
    KvCluster Cluster,
    RingDocument? Ring,
    RebalanceProgress? Progress,
    IReadOnlyList<string> WaitingFor,
    IReadOnlyList<string> NotReadyMembers,
    int Replicas,
    int ReadyReplicas,
    IReadOnlyList<MonitorOutcome>? Monitors = null,
    RolloutStep? Rollout = null);
