using KubeCache.Kubernetes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;
using KubeCache.Topology;

namespace KubeCache.Operator.Reconcile;

public sealed partial class ClusterReconciler
{
    /// <summary>
    /// Carries out the rollout's step after the coordinator's (see <see cref="RolloutPlanner"/>):
    /// deletes the pod of a node whose keys are handed off, and records Events when the rollout
    /// starts, a node leaves the ring, its pod is replaced and the rollout ends.
    /// </summary>
    private async Task StepRolloutAsync(
        KvCluster cluster, RolloutStep rollout, RebalanceProgress? progress, Dictionary<string, k8s.Models.V1Pod> pods, CancellationToken cancellationToken)
    {
        bool wasUpdating = cluster.Status?.Conditions?.Any(c => c.Type == KvClusterConditionType.Updating && c.Status == ConditionStatus.True) == true;
        if (!wasUpdating && rollout.Action is not (RolloutAction.None or RolloutAction.InsufficientMemory))
        {
            await RolloutEventAsync(cluster, EventRecorder.Normal, "RolloutStarted",
                $"{rollout.Outdated} node pods run an older template than revision {rollout.Revision}; each is replaced in turn, highest ordinal first, "
                + "after its keys are handed off to the others.", cancellationToken).ConfigureAwait(false);
        }
        else if (wasUpdating && rollout.Action == RolloutAction.None)
        {
            await RolloutEventAsync(cluster, EventRecorder.Normal, "RolloutFinished",
                "Every node pod runs the node StatefulSet's current template; the last one replaced takes its keys back as it rejoins the ring.",
                cancellationToken).ConfigureAwait(false);
        }

        Condition? updating = cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == KvClusterConditionType.Updating);
        if (rollout.Shortfall is { } shortfall && updating?.Reason != StatusCalculator.InsufficientMemory)
        {
            await RolloutEventAsync(cluster, EventRecorder.Warning, StatusCalculator.InsufficientMemory, shortfall.Describe(), cancellationToken).ConfigureAwait(false);
        }

        if (rollout.DeferredReplicas is { } deferred && cluster.Status?.ObservedGeneration != cluster.Metadata.Generation)
        {
            await _events.RecordAsync(cluster, EventRecorder.Normal, "ScaleDeferred", "Scale",
                $"spec.replicas {deferred} waits for the rollout to finish ({rollout.Outdated} node pods left to replace); the ring and the StatefulSet keep their present size until then.",
                cancellationToken).ConfigureAwait(false);
        }

        switch (rollout.Action)
        {
            case RolloutAction.HandingOff when progress?.Phase == RebalancePhase.Started:
                await RolloutEventAsync(cluster, EventRecorder.Normal, "NodeLeaving",
                    $"{rollout.Node} leaves the ring at epoch {progress.Epoch} so that its keys move to the other nodes before its pod is replaced.",
                    cancellationToken).ConfigureAwait(false);
                break;
            case RolloutAction.DeletingPod or RolloutAction.ColdRestart:
                await ReplacePodAsync(cluster, rollout, pods[rollout.Node!], cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// The step, or the step refused (<see cref="RolloutAction.InsufficientMemory"/>) when it would
    /// take a node out of the ring and the others could not hold the keys of every node still to
    /// replace (<see cref="RolloutRoom"/>), as each member reports on <c>/stats</c>.
    /// </summary>
    private static async Task<RolloutStep> CheckRoomAsync(
        RolloutStep rollout, RingDocument? published, Dictionary<string, k8s.Models.V1Pod> pods, KubernetesRingEnvironment environment, CancellationToken cancellationToken)
    {
        if (!rollout.TakesOut(published))
        {
            return rollout;
        }

        IReadOnlyList<RingMember> members = published!.Members;
        NodeBytes?[] figures = await Task.WhenAll(members.Select(m => environment.GetMemoryAsync(m, cancellationToken))).ConfigureAwait(false);
        Dictionary<string, NodeBytes?> memory = members.Select((m, i) => (m.Name, figures[i])).ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);
        IEnumerable<string> candidates = [rollout.Node!, .. members.Select(m => m.Name).Where(name => name != rollout.Node
            && pods.TryGetValue(name, out k8s.Models.V1Pod? pod) && ObjectMetadata.Label(pod, RolloutPlanner.RevisionLabel) != rollout.Revision)];
        return RolloutRoom.Check(candidates, memory) is { } shortfall ? rollout.Refused(shortfall) : rollout;
    }

    /// <summary>Deletes the node's pod (only the one observed: a uid precondition), so the StatefulSet recreates it on the new template.</summary>
    private async Task ReplacePodAsync(KvCluster cluster, RolloutStep rollout, k8s.Models.V1Pod pod, CancellationToken cancellationToken)
    {
        bool deleted = await _client.DeleteAsync(ApiResource.Pods, ObjectMetadata.NamespaceOf(cluster), rollout.Node!, cancellationToken, pod.Metadata.Uid)
            .ConfigureAwait(false);
        if (!deleted)
        {
            return;
        }

        if (rollout.Action == RolloutAction.ColdRestart)
        {
            await RolloutEventAsync(cluster, EventRecorder.Warning, "NodeRestartedCold",
                $"Deleted pod {rollout.Node} to run revision {rollout.Revision}: a single node has no other node to hand its keys to, so its replacement starts empty.",
                cancellationToken).ConfigureAwait(false);
            return;
        }

        await RolloutEventAsync(cluster, EventRecorder.Normal, "NodeReplacing",
            $"Deleted pod {rollout.Node}, whose keys are with the other nodes; it is recreated on revision {rollout.Revision} and rejoins the ring once Ready "
            + $"({rollout.Outdated - 1} more to replace after it).", cancellationToken).ConfigureAwait(false);
    }

    private Task RolloutEventAsync(KvCluster cluster, string type, string reason, string note, CancellationToken cancellationToken) =>
        _events.RecordAsync(cluster, type, reason, "Rollout", note, cancellationToken);
}
