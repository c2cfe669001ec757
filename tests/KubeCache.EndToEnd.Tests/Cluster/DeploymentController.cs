using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.FakeApiServer.Errors;

namespace KubeCache.EndToEnd.Tests.Cluster;

/// <summary>
/// The Deployment controller, reduced: no ReplicaSets; pods &lt;deploy&gt;-&lt;template hash&gt;-&lt;5 chars&gt;
/// owned by the Deployment and labelled pod-template-hash. A template change surges new pods
/// and deletes the old ones once enough new ones are Ready; status replicas, readyReplicas,
/// updatedReplicas, availableReplicas, observedGeneration and the Available condition.
/// </summary>
internal sealed class DeploymentController(FakeApiServer.FakeApiServer server)
{
    public void Sync()
    {
        foreach (JsonObject deployment in server.List("apps", "deployments"))
        {
            if (!deployment.IsTerminating())
            {
                SyncOne(deployment);
            }
        }
    }

    private void SyncOne(JsonObject deployment)
    {
        string ns = deployment.Namespace();
        int replicas = (int)(deployment.Long("spec", "replicas") ?? 1);
        string hash = TemplateHash(deployment);
        var pods = server.List("", "pods", ns).Where(p => p.IsOwnedBy(deployment.Uid()) && !p.IsTerminating()).ToList();
        var current = pods.Where(p => p.Str("metadata", "labels", "pod-template-hash") == hash).ToList();
        var old = pods.Except(current).ToList();

        for (int i = current.Count; i < replicas; i++)
        {
            try
            {
                current.Add(server.Create(NewPod(deployment, hash)));
            }
            catch (ApiException)
            {
                // A name clash of the random suffix: the next pass tries another.
            }
        }
        // Surplus current pods: not-ready ones first, then the newest.
        foreach (JsonObject surplus in current.OrderBy(p => p.Condition("Ready") == "True").ThenByDescending(p => p.Str("metadata", "creationTimestamp")).Take(Math.Max(0, current.Count - replicas)))
        {
            server.Delete("", "pods", ns, surplus.Name());
        }
        // Old pods go once the new template has enough Ready pods (maxUnavailable 0).
        if (current.Count(p => p.Condition("Ready") == "True") >= replicas)
        {
            foreach (JsonObject stale in old)
            {
                server.Delete("", "pods", ns, stale.Name());
            }
        }

        var live = server.List("", "pods", ns).Where(p => p.IsOwnedBy(deployment.Uid()) && !p.IsTerminating()).ToList();
        int ready = live.Count(p => p.Condition("Ready") == "True");
        string available = ready >= replicas ? "True" : "False";
        var status = new JsonObject
        {
            ["observedGeneration"] = deployment.Long("metadata", "generation") ?? 1,
            ["replicas"] = live.Count,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["updatedReplicas"] = live.Count(p => p.Str("metadata", "labels", "pod-template-hash") == hash),
            ["unavailableReplicas"] = Math.Max(0, replicas - ready),
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Available",
                ["status"] = available,
                ["reason"] = available == "True" ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                ["lastTransitionTime"] = Json.Timestamp(DateTimeOffset.UtcNow),
                ["lastUpdateTime"] = Json.Timestamp(DateTimeOffset.UtcNow),
            }),
        };
        WorkloadStatus.Store(server, deployment, status);
    }

    private static string TemplateHash(JsonObject deployment)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(deployment["spec"]?["template"]?.ToJsonString() ?? ""));
        return Convert.ToHexStringLower(digest)[..10];
    }

    private static JsonObject NewPod(JsonObject deployment, string hash)
    {
        JsonObject template = deployment["spec"]?["template"] as JsonObject ?? [];
        var metadata = (JsonObject)(template["metadata"]?.DeepClone() ?? new JsonObject());
        metadata["name"] = $"{deployment.Name()}-{hash}-{Suffix()}";
        metadata["namespace"] = deployment.Namespace();
        metadata.Obj("labels")["pod-template-hash"] = hash;
        metadata["ownerReferences"] = new JsonArray(Json.OwnerReference(deployment));
        metadata["finalizers"] = new JsonArray(Kubelet.Finalizer);
        var spec = (JsonObject)(template["spec"]?.DeepClone() ?? new JsonObject());
        spec["nodeName"] = "simulated-node";
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
    }

    private static string Suffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        }).ToString(CultureInfo.InvariantCulture);
    }
}
