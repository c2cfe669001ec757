using System.Globalization;
using k8s.Models;
using KubeCache.Operator.Builders;
using KubeCache.Topology;

namespace KubeCache.Operator.Reconcile;

/// <summary>
/// The pure half of rebalance driving: which members to ask the coordinator for,
/// and how many pods the StatefulSet may have, from the pods and the published ring.
/// </summary>
public static class RingPlanner
{
    /// <summary>Whether the pod counts as a ring member: Ready condition True, a podIP, and not terminating.</summary>
    public static bool IsReady(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Metadata.DeletionTimestamp is null
            && !string.IsNullOrEmpty(pod.Status?.PodIP)
            && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
    }

    /// <summary>The ring member a Ready pod stands for: its name and "&lt;podIP&gt;:7171" / "&lt;podIP&gt;:6379".</summary>
    public static RingMember MemberOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        string host = HostOf(pod);
        return new RingMember(pod.Metadata.Name ?? "", $"{host}:{PodParts.HttpPort}", $"{host}:{PodParts.RespPort}");
    }

    /// <summary>Where a pod's HTTP port is: "&lt;podIP&gt;:7171" (a router's, for its applied epoch).</summary>
    public static string HttpAddressOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return $"{HostOf(pod)}:{PodParts.HttpPort}";
    }

    private static string HostOf(V1Pod pod)
    {
        string ip = pod.Status?.PodIP ?? "";
        // IPv6 pod addresses need brackets in host:port.
        return ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
    }

    /// <summary>The StatefulSet ordinal of a pod name "&lt;cluster&gt;-&lt;i&gt;", or -1 for other names.</summary>
    public static int OrdinalOf(string cluster, string podName)
    {
        ArgumentNullException.ThrowIfNull(podName);
        string prefix = ObjectNames.StatefulSet(cluster) + "-";
        return podName.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(podName.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int ordinal)
            ? ordinal
            : -1;
    }

    /// <summary>The name of the node pod of ordinal <paramref name="ordinal"/>: "&lt;cluster&gt;-&lt;i&gt;".</summary>
    public static string PodName(string cluster, int ordinal) =>
        $"{ObjectNames.StatefulSet(cluster)}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The members to hand the coordinator: pods &lt;cluster&gt;-0 … -(n−1) but
    /// <paramref name="leaving"/> and terminating pods (a drain, an eviction or a delete: a ring
    /// without them hands their keys off while their preStop waits), each with its Ready
    /// pod's address (or, while its pod is not Ready, the address already published). When a
    /// wanted pod is neither Ready nor published — new pods still starting — the published
    /// members are kept, so the ring grows only once all new pods serve. Null when nothing is
    /// published yet and the first members are not all Ready, or when no member would be left.
    /// </summary>
    /// <param name="cluster">The KvCluster's name.</param>
    /// <param name="replicas">spec.replicas.</param>
    /// <param name="pods">The cluster's node pods by name.</param>
    /// <param name="published">The ring document published now, or null.</param>
    /// <param name="waiting">The wanted pods that are not Ready and not published yet.</param>
    /// <param name="leaving">A node a rollout takes out of the ring while it is replaced (<see cref="RolloutStep.Leaving"/>); null for none.</param>
    public static IReadOnlyList<RingMember>? DesiredMembers(
        string cluster, int replicas, IReadOnlyDictionary<string, V1Pod> pods, RingDocument? published, out IReadOnlyList<string> waiting,
        string? leaving = null)
    {
        ArgumentNullException.ThrowIfNull(pods);
        bool Leaves(string name) => name == leaving || (pods.TryGetValue(name, out V1Pod? pod) && pod.Metadata.DeletionTimestamp is not null);
        var members = new List<RingMember>(replicas);
        var missing = new List<string>();
        for (int i = 0; i < replicas; i++)
        {
            string name = PodName(cluster, i);
            if (Leaves(name))
            {
                continue;
            }

            if (pods.TryGetValue(name, out V1Pod? pod) && IsReady(pod))
            {
                members.Add(MemberOf(pod));
            }
            else if (published?.Members.FirstOrDefault(m => m.Name == name) is { } known)
            {
                members.Add(known);
            }
            else
            {
                missing.Add(name);
            }
        }

        waiting = missing;
        if (missing.Count == 0)
        {
            return members.Count == 0 ? null : members;
        }

        List<RingMember>? kept = published is null
            ? null
            : [.. published.Members.Where(m => !Leaves(m.Name)).Select(m => pods.TryGetValue(m.Name, out V1Pod? pod) && IsReady(pod) ? MemberOf(pod) : m)];
        return kept is { Count: > 0 } ? kept : null;
    }

    /// <summary>
    /// Pods the StatefulSet must keep: the spec's replicas, but never fewer than the highest
    /// ordinal still in the ring or, while a rebalance is in progress, still handing off: a
    /// scale-down shrinks the StatefulSet only after the handoff.
    /// </summary>
    public static int StatefulSetReplicas(string cluster, int replicas, RingDocument? published)
    {
        int needed = Math.Max(replicas, 0);
        if (published is null)
        {
            return needed;
        }

        IEnumerable<RingMember> holders = published.Previous is { } previous ? published.Members.Concat(previous.Members) : published.Members;
        foreach (RingMember member in holders)
        {
            needed = Math.Max(needed, OrdinalOf(cluster, member.Name) + 1);
        }

        return needed;
    }
}
