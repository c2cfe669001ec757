using System.Globalization;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.FakeApiServer.Errors;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>
/// The StatefulSet controller, reduced: pods &lt;sts&gt;-0..N-1 from spec.template (owner reference,
/// template labels plus the pod-name and pod-index labels, hostname/subdomain), Parallel or
/// OrderedReady management; on scale down the highest ordinals go first; status.replicas,
/// readyReplicas, currentReplicas, updatedReplicas, availableReplicas and observedGeneration
/// through /status. Template changes do not roll existing pods (not needed by the tests).
/// </summary>
internal sealed class StatefulSetController(FakeApiServer.FakeApiServer server)
{
    public void Sync()
    {
        foreach (JsonObject set in server.List("apps", "statefulsets"))
        {
            if (!set.IsTerminating())
            {
                SyncOne(set);
            }
        }
    }

    private void SyncOne(JsonObject set)
    {
        string ns = set.Namespace(), name = set.Name();
        int replicas = (int)(set.Long("spec", "replicas") ?? 1);
        bool parallel = set.Str("spec", "podManagementPolicy") == "Parallel";
        var pods = server.List("", "pods", ns).Where(p => p.IsOwnedBy(set.Uid()))
            .Select(p => (Pod: p, Ordinal: Ordinal(name, p.Name()))).Where(p => p.Ordinal >= 0).ToDictionary(p => p.Ordinal, p => p.Pod);

        // Scale down: highest ordinals first (Parallel: all surplus at once).
        foreach (int ordinal in pods.Keys.Where(o => o >= replicas).OrderByDescending(o => o).ToList())
        {
            if (!pods[ordinal].IsTerminating())
            {
                server.Delete("", "pods", ns, pods[ordinal].Name());
                if (!parallel)
                {
                    break;
                }
            }
        }

        // Scale up: missing ordinals (OrderedReady: only after every lower one is Ready).
        for (int ordinal = 0; ordinal < replicas; ordinal++)
        {
            if (pods.ContainsKey(ordinal))
            {
                if (!parallel && pods[ordinal].Condition("Ready") != "True")
                {
                    break;
                }
                continue;
            }
            try
            {
                pods[ordinal] = server.Create(NewPod(set, ordinal));
            }
            catch (ApiException)
            {
                // The old pod of that name is still terminating; the next pass creates it.
            }
            if (!parallel)
            {
                break;
            }
        }

        var live = server.List("", "pods", ns).Where(p => p.IsOwnedBy(set.Uid()) && Ordinal(name, p.Name()) >= 0).ToList();
        int ready = live.Count(p => !p.IsTerminating() && p.Condition("Ready") == "True");
        var status = new JsonObject
        {
            ["observedGeneration"] = set.Long("metadata", "generation") ?? 1,
            ["replicas"] = live.Count,
            ["readyReplicas"] = ready,
            ["currentReplicas"] = live.Count,
            ["updatedReplicas"] = live.Count,
            ["availableReplicas"] = ready,
            ["currentRevision"] = $"{name}-sim",
            ["updateRevision"] = $"{name}-sim",
            ["collisionCount"] = 0,
        };
        WorkloadStatus.Store(server, set, status);
    }

    private static JsonObject NewPod(JsonObject set, int ordinal)
    {
        JsonObject template = set["spec"]?["template"] as JsonObject ?? [];
        string podName = $"{set.Name()}-{ordinal}";
        var metadata = (JsonObject)(template["metadata"]?.DeepClone() ?? new JsonObject());
        metadata["name"] = podName;
        metadata["namespace"] = set.Namespace();
        JsonObject labels = metadata.Obj("labels");
        labels["statefulset.kubernetes.io/pod-name"] = podName;
        labels["apps.kubernetes.io/pod-index"] = ordinal.ToString(CultureInfo.InvariantCulture);
        labels["controller-revision-hash"] = $"{set.Name()}-sim";
        metadata["ownerReferences"] = new JsonArray(Json.OwnerReference(set));
        metadata["finalizers"] = new JsonArray(Kubelet.Finalizer);
        var spec = (JsonObject)(template["spec"]?.DeepClone() ?? new JsonObject());
        spec["hostname"] = podName;
        spec["subdomain"] = set.Str("spec", "serviceName");
        spec["nodeName"] = "simulated-node";
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
    }

    /// <summary>The ordinal of pod <paramref name="pod"/> of set <paramref name="set"/>, or -1.</summary>
    public static int Ordinal(string set, string pod) =>
        pod.StartsWith(set + "-", StringComparison.Ordinal) && int.TryParse(pod.AsSpan(set.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int ordinal) ? ordinal : -1;
}
