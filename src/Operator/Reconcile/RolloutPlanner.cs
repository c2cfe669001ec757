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

    /// <summary>
    /// The next node would leave the ring, but the others could not hold its keys within their
    /// maxMemory (see <see cref="RolloutRoom"/>): the ring is left as it is until they have room.
    /// </summary>
    InsufficientMemory,
}

/// <summary>One reconcile's rollout step.</summary>
/// <param name="Action">What the step does.</param>
/// <param name="Node">The node pod it is about (the next to replace while Waiting); null for None.</param>
/// <param name="Outdated">Node pods still on an older template, that node included.</param>
/// <param name="Revision">The StatefulSet's update revision the pods are replaced with.</param>
/// <param name="Shortfall">Why the step is refused (InsufficientMemory); null otherwise.</param>
/// <param name="DeferredReplicas">A spec.replicas that waits for the rollout to finish (the StatefulSet keeps its size until then); null when none waits.</param>
public sealed record RolloutStep(RolloutAction Action, string? Node, int Outdated, string? Revision, RoomShortfall? Shortfall = null, int? DeferredReplicas = null)
{
    public static readonly RolloutStep None = new(RolloutAction.None, null, 0, null);

    /// <summary>The node kept out of the ring this step (HandingOff and DeletingPod); null otherwise.</summary>
    public string? Leaving => Action is RolloutAction.HandingOff or RolloutAction.DeletingPod ? Node : null;

    /// <summary>Whether this step takes its node out of <paramref name="published"/>, where it is still a member: the moment the memory precondition is checked.</summary>
    public bool TakesOut(RingDocument? published) =>
        Action == RolloutAction.HandingOff && published?.Members.Any(m => m.Name == Node) == true;

    /// <summary>The same step refused for want of memory: the node stays in the ring.</summary>
    public RolloutStep Refused(RoomShortfall shortfall) => this with { Action = RolloutAction.InsufficientMemory, Shortfall = shortfall };
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

    /// <summary>
    /// The node count to drive the ring and the StatefulSet to this reconcile: spec.replicas,
    /// unless a rollout is under way at the StatefulSet's present size — then that size, so the
    /// scale waits until the rollout has finished instead of becoming one more ring change in the
    /// middle of it. A rollout that has not started yet waits for the scale instead (see <see cref="Plan"/>).
    /// </summary>
    /// <param name="cluster">The KvCluster's name.</param>
    /// <param name="specReplicas">spec.replicas.</param>
    /// <param name="pods">The cluster's node pods by name.</param>
    /// <param name="published">The ring document published now, or null.</param>
    /// <param name="statefulSet">The node StatefulSet as observed.</param>
    public static int Replicas(string cluster, int specReplicas, IReadOnlyDictionary<string, V1Pod> pods, RingDocument? published, V1StatefulSet? statefulSet)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return statefulSet?.Spec?.Replicas is int now && now != specReplicas && Underway(cluster, now, specReplicas, pods, published, statefulSet)
            ? now
            : specReplicas;
    }

    /// <summary>
    /// Whether a node replacement is under way among the first <paramref name="size"/> ordinals:
    /// one of them, which the spec keeps, is out of the ring (its keys with the others while its
    /// pod is replaced), or, between two steps, some run the update revision and some an older one.
    /// A ring that lacks more than one of them, or holds ordinals beyond, is in a scale instead.
    /// </summary>
    private static bool Underway(
        string cluster, int size, int specReplicas, IReadOnlyDictionary<string, V1Pod> pods, RingDocument? published, V1StatefulSet? statefulSet)
    {
        string? revision = statefulSet?.Status?.ObservedGeneration == statefulSet?.Metadata?.Generation ? statefulSet?.Status?.UpdateRevision : null;
        if (published is null || string.IsNullOrEmpty(revision) || published.Members.Any(m => RingPlanner.OrdinalOf(cluster, m.Name) >= size))
        {
            return false;
        }

        List<int> outOfRing = [.. Enumerable.Range(0, size).Where(i => published.Members.All(m => m.Name != RingPlanner.PodName(cluster, i)))];
        if (outOfRing.Count > 0)
        {
            return outOfRing.Count == 1 && outOfRing[0] < specReplicas;
        }

        List<string?> revisions = [.. Enumerable.Range(0, size).Select(i => pods.GetValueOrDefault(RingPlanner.PodName(cluster, i)))
            .Where(p => p is not null && p.Metadata.DeletionTimestamp is null).Select(p => ObjectMetadata.Label(p!, RevisionLabel))];
        return revisions.Contains(revision) && revisions.Any(r => r != revision);
    }
}
