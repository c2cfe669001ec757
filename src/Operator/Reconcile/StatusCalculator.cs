using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;
using KubeCache.Topology;

namespace KubeCache.Operator.Reconcile;

/// <summary>
/// Turns an observation into the KvCluster's status: counts, selector, ring epoch
/// and members, the Ready/Rebalancing/Degraded conditions (lastTransitionTime kept unless the
/// condition's status changes) and the phase. Pure, so every rule is unit-tested.
/// </summary>
public static class StatusCalculator
{
    public const string HandoffDeadlineExceeded = "HandoffDeadlineExceeded";

    public const string ReconcileFailed = "ReconcileFailed";

    /// <summary>Updating's reason (status False) while a rollout step is refused because the other nodes could not hold the leaving node's keys.</summary>
    public const string InsufficientMemory = "InsufficientMemory";

    /// <summary>Ready's reason while the spec asks for what cannot run (see <see cref="SpecProblems"/>); nothing is applied until it is fixed.</summary>
    public const string InvalidSpec = "InvalidSpec";

    public static KvClusterStatus Compute(ClusterObservation observation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(observation);
        KvCluster cluster = observation.Cluster;
        long generation = cluster.Metadata.Generation ?? 0;
        IReadOnlyList<Condition> old = cluster.Status?.Conditions ?? [];

        Condition rebalancing = Rebalancing(observation);
        Condition degraded = Degraded(observation, old, generation);
        bool ready = observation.Ring is not null && rebalancing.Status == ConditionStatus.False && degraded.Status == ConditionStatus.False;
        Condition readyCondition = ready
            ? New(KvClusterConditionType.Ready, true, "RingPublished", $"{observation.Ring!.Members.Count} nodes own the keys at epoch {observation.Ring.Epoch}.")
            : New(KvClusterConditionType.Ready, false, observation.Ring is null ? "RingNotPublished" : rebalancing.Status == ConditionStatus.True ? "Rebalancing" : "Degraded",
                observation.Ring is null ? WaitingMessage(observation, "No ring is published yet") : "See the Rebalancing and Degraded conditions.");

        string phase = observation.Ring is null ? KvClusterPhase.Pending
            : degraded.Status == ConditionStatus.True ? KvClusterPhase.Degraded
            : rebalancing.Status == ConditionStatus.True ? KvClusterPhase.Rebalancing
            : KvClusterPhase.Ready;

        return new KvClusterStatus
        {
            Replicas = observation.Replicas,
            ReadyReplicas = observation.ReadyReplicas,
            Selector = ClusterLabels.NodeSelectorString(ObjectMetadata.NameOf(cluster)),
            RingEpoch = observation.Ring?.Epoch ?? 0,
            Members = observation.Ring is null ? [] : [.. observation.Ring.Members.Select(m => m.Name)],
            Phase = phase,
            Conditions =
            [
                Stamp(readyCondition, old, generation, now), Stamp(rebalancing, old, generation, now), Stamp(degraded, old, generation, now),
                Stamp(Updating(observation), old, generation, now),
                .. (observation.Monitors ?? []).Select(m => Stamp(Monitoring(m), old, generation, now)),
            ],
            ObservedGeneration = generation,
        };
    }

    /// <summary>
    /// The status after a reconcile that failed (reason <see cref="ReconcileFailed"/>, the API's
    /// message) or refused the spec (<see cref="InvalidSpec"/>): what was written before, with Ready
    /// False. The next reconcile that succeeds computes Ready afresh, which clears it.
    /// </summary>
    public static KvClusterStatus Failed(KvCluster cluster, string reason, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        KvClusterStatus old = cluster.Status ?? new KvClusterStatus { Phase = KvClusterPhase.Pending };
        List<Condition> conditions = old.Conditions ?? [];
        Condition ready = Stamp(New(KvClusterConditionType.Ready, false, reason, message), conditions, cluster.Metadata.Generation ?? 0, now);
        return new KvClusterStatus
        {
            Replicas = old.Replicas,
            ReadyReplicas = old.ReadyReplicas,
            Selector = old.Selector ?? ClusterLabels.NodeSelectorString(ObjectMetadata.NameOf(cluster)),
            RingEpoch = old.RingEpoch,
            Members = old.Members,
            Phase = old.Phase,
            Conditions = [ready, .. conditions.Where(c => c.Type != KvClusterConditionType.Ready)],
            ObservedGeneration = old.ObservedGeneration,
        };
    }

    /// <summary>Whether two statuses say the same (so an unchanged status is not written again).</summary>
    public static bool Same(KvClusterStatus? a, KvClusterStatus b)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (a is null)
        {
            return false;
        }

        return a.Replicas == b.Replicas && a.ReadyReplicas == b.ReadyReplicas && a.Selector == b.Selector && a.RingEpoch == b.RingEpoch
            && a.Phase == b.Phase && a.ObservedGeneration == b.ObservedGeneration
            && (a.Members ?? []).SequenceEqual(b.Members ?? [])
            && (a.Conditions ?? []).Count == (b.Conditions ?? []).Count
            && (a.Conditions ?? []).Zip(b.Conditions ?? []).All(p => p.First.Type == p.Second.Type && p.First.Status == p.Second.Status
                && p.First.Reason == p.Second.Reason && p.First.Message == p.Second.Message && p.First.ObservedGeneration == p.Second.ObservedGeneration
                && p.First.LastTransitionTime == p.Second.LastTransitionTime);
    }

    /// <summary>The condition of a monitor the spec asks for (MonitoringReady, PodMonitorReady); its failure never holds back the rest.</summary>
    private static Condition Monitoring(MonitorOutcome monitor) => monitor.Failure is { } failure
        ? New(monitor.Kind.ConditionType, false, monitor.Kind.FailedReason, failure)
        : New(monitor.Kind.ConditionType, true, monitor.Kind.AppliedReason, $"The {monitor.Kind.Kind} is applied.");

    private static Condition Rebalancing(ClusterObservation observation)
    {
        if (observation.Ring?.Previous is { } previous)
        {
            RebalanceProgress? progress = observation.Progress;
            string pending = progress is { Pending.Count: > 0 } ? $"; waiting for {string.Join(", ", progress.Pending)}" : "";
            string routers = progress is { PendingRouters.Count: > 0 } ? $"; routers not on the epoch yet: {string.Join(", ", progress.PendingRouters)}" : "";
            string dropped = progress is { KeysDropped: > 0 } ? $"; {progress.KeysDropped} keys dropped (their new owner had no room)" : "";
            string errors = progress is { Errors.Count: > 0 } ? $"; handoff failing, retrying: {string.Join("; ", progress.Errors)}" : "";
            long keysLeft = progress?.KeysLeft ?? 0;
            return New(KvClusterConditionType.Rebalancing, true, progress is { Errors.Count: > 0 } ? "HandoffRetrying" : "HandoffInProgress",
                $"Keys move from epoch {previous.Epoch} to epoch {observation.Ring.Epoch}: {keysLeft} keys left{pending}{routers}{dropped}{errors}.");
        }

        if (observation.Ring is not null && observation.WaitingFor.Count > 0)
        {
            return New(KvClusterConditionType.Rebalancing, true, "WaitingForPods", WaitingMessage(observation, "New nodes join the ring once Ready"));
        }

        return New(KvClusterConditionType.Rebalancing, false, "Stable", "No rebalance in progress.");
    }

    private static Condition Updating(ClusterObservation observation)
    {
        RolloutStep rollout = observation.Rollout ?? RolloutStep.None;
        string left = $"{rollout.Outdated} node pods on an older template than revision {rollout.Revision}";
        RebalanceProgress? progress = observation.Progress;
        string deferred = rollout.DeferredReplicas is { } wanted
            ? $" spec.replicas {wanted} waits until the rollout finishes; the ring and the StatefulSet keep their present size until then."
            : "";
        Condition updating = rollout.Action switch
        {
            RolloutAction.Waiting => New(KvClusterConditionType.Updating, true, "WaitingForRing",
                $"{left}; {rollout.Node} is replaced next, once no handoff runs and every node is a Ready ring member."),
            RolloutAction.HandingOff => New(KvClusterConditionType.Updating, true, "HandingOff",
                $"{left}; {rollout.Node} is leaving the ring: {progress?.KeysSent ?? 0} keys moved, {progress?.KeysLeft ?? 0} left."),
            RolloutAction.DeletingPod => New(KvClusterConditionType.Updating, true, "ReplacingPod",
                $"{left}; {rollout.Node} is out of the ring with its keys handed off, and its pod is replaced."),
            RolloutAction.ColdRestart => New(KvClusterConditionType.Updating, true, "RestartingOnlyNode",
                $"{left}; the only node, {rollout.Node}, is replaced in place and restarts empty."),
            RolloutAction.InsufficientMemory => New(KvClusterConditionType.Updating, false, InsufficientMemory,
                $"{left}; {rollout.Shortfall!.Describe()}"),
            _ => New(KvClusterConditionType.Updating, false, "UpToDate", "Every node pod runs the node StatefulSet's current template."),
        };
        updating.Message += deferred;
        return updating;
    }

    private static Condition Degraded(ClusterObservation observation, IReadOnlyList<Condition> old, long generation)
    {
        if (observation.Progress is { Phase: RebalancePhase.FinishedAfterDeadline } finished)
        {
            return New(KvClusterConditionType.Degraded, true, HandoffDeadlineExceeded,
                $"The handoff deadline passed before {string.Join(", ", finished.TimedOut)} finished; {finished.KeysLeft} keys not moved are lost.");
        }

        // The lost keys stay reported until the next rebalance finishes normally or the spec changes.
        if (old.FirstOrDefault(c => c.Type == KvClusterConditionType.Degraded) is { Status: ConditionStatus.True, Reason: HandoffDeadlineExceeded } previous
            && previous.ObservedGeneration == generation
            && observation.Progress?.Phase is not (RebalancePhase.Finished or RebalancePhase.Started))
        {
            return New(KvClusterConditionType.Degraded, true, HandoffDeadlineExceeded, previous.Message);
        }

        if (observation.NotReadyMembers.Count > 0)
        {
            return New(KvClusterConditionType.Degraded, true, "MembersNotReady",
                $"Ring members not Ready: {string.Join(", ", observation.NotReadyMembers)}; requests for their keys fail until they recover.");
        }

        return New(KvClusterConditionType.Degraded, false, "AllMembersReady", "Every ring member is Ready.");
    }

    private static string WaitingMessage(ClusterObservation observation, string prefix) =>
        observation.WaitingFor.Count == 0 ? prefix + "." : $"{prefix}; waiting for {string.Join(", ", observation.WaitingFor)} to become Ready.";

    private static Condition New(string type, bool status, string reason, string message) =>
        new() { Type = type, Status = status ? ConditionStatus.True : ConditionStatus.False, Reason = reason, Message = message };

    /// <summary>Sets observedGeneration, and lastTransitionTime to now only when the status changed.</summary>
    private static Condition Stamp(Condition condition, IReadOnlyList<Condition> old, long generation, DateTimeOffset now)
    {
        Condition? before = old.FirstOrDefault(c => c.Type == condition.Type);
        condition.ObservedGeneration = generation;
        condition.LastTransitionTime = before is not null && before.Status == condition.Status
            ? before.LastTransitionTime
            : new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return condition;
    }
}
