using System.Collections.Concurrent;
using k8s.Models;

namespace KubeCache.Operator.Reconcile;

/// <summary>
/// What the operator last saw of each node pod: its container's restart count and the keys it
/// held at the last poll. A restart count that grows on the same pod (same uid) is a crash the
/// operator did not cause — kill -9, OOM, a failed liveness probe — and the keys the node held
/// are gone with its memory. A pod seen for the first time (a new pod, or every pod after the
/// operator starts) only sets the baseline; a pod the operator replaces in a rollout is a new pod.
/// </summary>
public sealed class NodeLossTracker
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, NodeRecord>> _clusters = new(StringComparer.Ordinal);

    /// <summary>Compares <paramref name="pods"/> (name → pod) of the cluster <paramref name="cluster"/> with what was seen before; returns the losses since.</summary>
    public IReadOnlyList<NodeLoss> Observe(string cluster, IReadOnlyDictionary<string, V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ConcurrentDictionary<string, NodeRecord> nodes = _clusters.GetOrAdd(cluster, _ => new(StringComparer.Ordinal));
        var losses = new List<NodeLoss>();
        foreach ((string name, V1Pod pod) in pods)
        {
            V1ContainerStatus? container = pod.Status?.ContainerStatuses?.FirstOrDefault();
            string uid = pod.Metadata.Uid ?? "";
            int restarts = container?.RestartCount ?? 0;
            if (nodes.TryGetValue(name, out NodeRecord? seen) && seen.Uid == uid && restarts > seen.Restarts)
            {
                V1ContainerStateTerminated? last = container?.LastState?.Terminated;
                losses.Add(new NodeLoss(name, restarts - seen.Restarts, last?.Reason ?? "Unknown", last?.ExitCode, seen.Keys, seen.PolledAt));
                nodes[name] = new NodeRecord(uid, restarts, null, null);
            }
            else if (seen is null || seen.Uid != uid)
            {
                nodes[name] = new NodeRecord(uid, restarts, null, null);
            }
        }

        foreach (string gone in nodes.Keys.Where(n => !pods.ContainsKey(n)))
        {
            nodes.TryRemove(gone, out _);
        }

        return losses;
    }

    /// <summary>Records the keys the pod <paramref name="uid"/> of node <paramref name="node"/> held at <paramref name="at"/>; ignored when that pod is no longer the one seen.</summary>
    public void RecordKeys(string cluster, string node, string uid, long keys, DateTimeOffset at)
    {
        if (_clusters.TryGetValue(cluster, out var nodes) && nodes.TryGetValue(node, out NodeRecord? seen) && seen.Uid == uid)
        {
            nodes[node] = seen with { Keys = keys, PolledAt = at };
        }
    }

    /// <summary>The keys each node held at its last poll: (cluster, node, keys).</summary>
    public IEnumerable<(string Cluster, string Node, long Keys)> KeyCounts() =>
        _clusters.SelectMany(c => c.Value.Where(n => n.Value.Keys is not null).Select(n => (c.Key, n.Key, n.Value.Keys!.Value)));

    public void Forget(string cluster) => _clusters.TryRemove(cluster, out _);

    private sealed record NodeRecord(string Uid, int Restarts, long? Keys, DateTimeOffset? PolledAt);
}

/// <summary>A node whose container restarted on its own, and what it lost.</summary>
/// <param name="Node">The node pod's name.</param>
/// <param name="Restarts">Restarts since the operator last looked (usually 1).</param>
/// <param name="Reason">The terminated container's reason (OOMKilled, Error, …), or Unknown.</param>
/// <param name="ExitCode">Its exit code (137 after SIGKILL), when the pod status says.</param>
/// <param name="Keys">The keys it held at the last poll; null when it was never polled.</param>
/// <param name="PolledAt">When that poll was.</param>
public sealed record NodeLoss(string Node, int Restarts, string Reason, int? ExitCode, long? Keys, DateTimeOffset? PolledAt);
