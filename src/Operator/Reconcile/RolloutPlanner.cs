using k8s.Models;
using KubeCache.Operator.Builders;
using KubeCache.Topology;

namespace KubeCache.Operator.Reconcile;

/// <summary>What the node rollout does in one reconcile.</summary>
public enum RolloutAction
{
    /// <summary>Every node pod runs the StatefulSet's update revision (or none is known yet).</summary>
    None,

    /// <summary>A node is to be replaced, but the ring is not settled: a handoff runs, or a node is not a Ready member yet.</summary>
    Waiting,

    /// <summary>The node leaves the ring: a ring without it is published (or kept) while its keys move to the others.</summary>
    HandingOff,

    /// <summary>The node is out of the ring and its keys are with the others: its pod is deleted, and the StatefulSet recreates it on the new template.</summary>
    DeletingPod,

    /// <summary>
    /// A single-node cluster: there is no other node to hold the keys, so the pod is deleted in
    /// place (once Ready and a member) and its replacement starts empty.
    /// </summary>
    ColdRestart,
}

/// <summary>One reconcile's rollout step.</summary>
/// <param name="Action">What the step does.</param>
/// <param name="Node">The node pod it is about (the next to replace while Waiting); null for None.</param>
/// <param name="Outdated">Node pods still on an older template, that node included.</param>
/// <param name="Revision">The StatefulSet's update revision the pods are replaced with.</param>
public sealed record RolloutStep(RolloutAction Action, string? Node, int Outdated, string? Revision)
{
    public static readonly RolloutStep None = new(RolloutAction.None, null, 0, null);

    /// <summary>The node kept out of the ring this step (HandingOff and DeletingPod); null otherwise.</summary>
    public string? Leaving => Action is RolloutAction.HandingOff or RolloutAction.DeletingPod ? Node : null;
}

/// <summary>
/// The pure half of a warm rollout. The node StatefulSet's update strategy is OnDelete, so a
/// template change replaces no pod by itself; the operator replaces them, one at a time, highest
/// ordinal first: a ring without the node (its keys hand off to the others, fenced), then the
/// pod's deletion once that handoff is done, then the new pod joins the ring again once Ready
/// (the keys hand back). Every step is derived from the cluster — the StatefulSet's update
/// revision, each pod's <c>controller-revision-hash</c> label and the published ring — so a
/// restarted operator or a new leader continues where the last one stopped.
/// </summary>
public static class RolloutPlanner
{
    /// <summary>The label the StatefulSet controller puts on each pod: the revision it was created from.</summary>
    public const string RevisionLabel = "controller-revision-hash";

    /// <summary>
    /// The step for the cluster's node pods. A node already out of the ring goes first (it is the
    /// one a previous step took out); otherwise the highest ordinal, and only once the ring is
    /// settled: no handoff in progress and every wanted node a Ready member.
    /// </summary>
    /// <param name="cluster">The KvCluster's name.</param>
    /// <param name="replicas">spec.replicas.</param>
    /// <param name="pods">The cluster's node pods by name.</param>
    /// <param name="published">The ring document published now, or null.</param>
    /// <param name="statefulSet">The node StatefulSet as observed; its update revision counts only once its status is of its current generation.</param>
    public static RolloutStep Plan(string cluster, int replicas, IReadOnlyDictionary<string, V1Pod> pods, RingDocument? published, V1StatefulSet? statefulSet)
    {
        ArgumentNullException.ThrowIfNull(pods);
        string? revision = statefulSet?.Status?.ObservedGeneration == statefulSet?.Metadata?.Generation ? statefulSet?.Status?.UpdateRevision : null;
        if (published is null || string.IsNullOrEmpty(revision))
        {
            return RolloutStep.None;
        }

        bool IsMember(string name) => published.Members.Any(m => m.Name == name);
        List<string> outdated = [.. pods.Values
            .Where(p => p.Metadata.DeletionTimestamp is null && ObjectMetadata.Label(p, RevisionLabel) != revision)
            .Select(p => p.Metadata.Name!)
            .Where(name => RingPlanner.OrdinalOf(cluster, name) is int ordinal && ordinal >= 0 && ordinal < replicas)
            .OrderBy(IsMember)
            .ThenByDescending(name => RingPlanner.OrdinalOf(cluster, name))];
        if (outdated.Count == 0)
        {
            return RolloutStep.None;
        }

        string node = outdated[0];
        if (replicas < 2)
        {
            bool serving = pods.TryGetValue(node, out V1Pod? only) && RingPlanner.IsReady(only) && published.Previous is null;
            return new RolloutStep(serving ? RolloutAction.ColdRestart : RolloutAction.Waiting, node, outdated.Count, revision);
        }

        if (!IsMember(node))
        {
            RolloutAction action = published.Previous is null ? RolloutAction.DeletingPod : RolloutAction.HandingOff;
            return new RolloutStep(action, node, outdated.Count, revision);
        }

        bool settled = published.Previous is null
            && published.Members.Count == replicas
            && Enumerable.Range(0, replicas).All(i =>
                pods.TryGetValue(RingPlanner.PodName(cluster, i), out V1Pod? pod) && RingPlanner.IsReady(pod) && IsMember(pod.Metadata.Name!));
        return new RolloutStep(settled ? RolloutAction.HandingOff : RolloutAction.Waiting, node, outdated.Count, revision);
    }
}
