using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.FakeApiServer.Errors;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>
/// The StatefulSet controller, reduced: pods &lt;sts&gt;-0..N-1 from spec.template (owner reference,
/// template labels plus the pod-name and pod-index labels, hostname/subdomain), Parallel or
/// OrderedReady management; on scale down the highest ordinals go first; status.replicas,
/// readyReplicas, currentReplicas, updatedReplicas, availableReplicas and observedGeneration
/// through /status. Revisions as the real controller keeps them: updateRevision names the
/// current template (<c>&lt;set&gt;-&lt;hash&gt;</c>), every pod is created from it and labelled
/// <c>controller-revision-hash</c>; currentRevision is the revision the pods had before the
/// template changed, and only a RollingUpdate set's completed update moves it (an OnDelete set keeps
/// it, as the real controller does). A template change replaces no pod: that is the OnDelete
/// strategy; RollingUpdate's own replacement of pods is not simulated, and no ControllerRevision
/// objects are written.
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
        string update = UpdateRevision(set);
        int updated = live.Count(p => RevisionOf(p) == update);
        string current = set.Str("status", "currentRevision") ?? update;
        if (set.Str("spec", "updateStrategy", "type") != "OnDelete" && updated == live.Count && ready == live.Count)
        {
            current = update;
        }
        var status = new JsonObject
        {
            ["observedGeneration"] = set.Long("metadata", "generation") ?? 1,
            ["replicas"] = live.Count,
            ["readyReplicas"] = ready,
            ["currentReplicas"] = live.Count(p => RevisionOf(p) == current),
            ["updatedReplicas"] = updated,
            ["availableReplicas"] = ready,
            ["currentRevision"] = current,
            ["updateRevision"] = update,
            ["collisionCount"] = 0,
        };
        WorkloadStatus.Store(server, set, status);
    }

    /// <summary>The revision a pod was created from: its <c>controller-revision-hash</c> label.</summary>
    public static string? RevisionOf(JsonObject pod) => pod.Str("metadata", "labels", "controller-revision-hash");

    /// <summary>
    /// The name of the set's current template's revision, <c>&lt;set&gt;-&lt;hash&gt;</c>: equal
    /// templates give equal names whatever the order of their fields.
    /// </summary>
    public static string UpdateRevision(JsonObject set)
    {
        var canonical = new StringBuilder();
        Canonical(set["spec"]?["template"], canonical);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return $"{set.Name()}-{Convert.ToHexStringLower(hash)[..10]}";
    }

    private static void Canonical(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case JsonObject obj:
                text.Append('{');
                foreach (KeyValuePair<string, JsonNode?> field in obj.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    text.Append(field.Key).Append(':');
                    Canonical(field.Value, text);
                    text.Append(',');
                }
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                foreach (JsonNode? item in array)
                {
                    Canonical(item, text);
                    text.Append(',');
                }
                text.Append(']');
                break;
            default:
                text.Append(node?.ToJsonString() ?? "null");
                break;
        }
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
        labels["controller-revision-hash"] = UpdateRevision(set);
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
