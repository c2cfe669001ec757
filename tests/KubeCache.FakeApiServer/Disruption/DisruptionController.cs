using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Writes;

namespace KubeCache.FakeApiServer.Disruption;

/// <summary>
/// The disruption controller: keeps every PodDisruptionBudget's status current with the pods it
/// selects and their controllers' scale (see <see cref="DisruptionBudget"/>), so the eviction
/// subresource decides on fresh figures. <see cref="Controllers.ControllerLoop"/> runs a pass after every change.
/// </summary>
internal sealed class DisruptionController(ObjectWriter writer, ResourceRegistry registry, TimeProvider time)
{
    public const string StorageKey = "policy/poddisruptionbudgets";

    private static readonly WriteContext Context = new("kube-controller-manager", "status");

    /// <summary>One pass: each budget whose computed status differs from the stored one is written.</summary>
    public void Pass()
    {
        lock (writer.Store.Sync)
        {
            foreach (var budget in writer.Store.List(StorageKey, null))
            {
                Sync(budget);
            }
        }
    }

    /// <summary>Writes the budget's status as the pods stand now (callers hold the store lock); returns the stored budget.</summary>
    private JsonObject Sync(JsonObject budget)
    {
        var pods = writer.Store.List("/pods", budget.Namespace()).Where(p => DisruptionBudget.Selects(budget, p)).ToList();
        var status = DisruptionBudget.Status(budget, pods, ScaleOf, time.GetUtcNow());
        if (JsonNode.DeepEquals(budget["status"], status))
        {
            return budget;
        }
        var next = (JsonObject)budget.DeepClone();
        next["status"] = status;
        return writer.Update(registry.FindStorage(StorageKey)!, budget, next, Context);
    }

    /// <summary>
    /// The pod's controller and its spec.replicas: the owner reference marked controller, or for
    /// a ReplicaSet owned by a Deployment, the Deployment (whose scale a rollout keeps).
    /// </summary>
    private (string Key, long Replicas)? ScaleOf(JsonObject pod)
    {
        var owner = Controller(pod);
        if (owner?.Str("kind") == "ReplicaSet" && Controller(owner) is { } deployment && deployment.Str("kind") == "Deployment")
        {
            owner = deployment;
        }
        return owner is null ? null : (owner.Uid(), owner["spec"]?["replicas"].AsLong() ?? 1);
    }

    /// <summary>The stored object named by <paramref name="obj"/>'s controller owner reference, or null.</summary>
    private JsonObject? Controller(JsonObject obj)
    {
        var reference = (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(r => r["controller"]?.GetValueKind() == System.Text.Json.JsonValueKind.True);
        if (reference?.Str("apiVersion") is not { } apiVersion || reference.Str("kind") is not { } kind)
        {
            return null;
        }
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return registry.FindByKind(group, version, kind) is { } type
            && writer.Store.Get(type.StorageKey, obj.Namespace(), reference.Str("name") ?? "") is { } found
            && found.Uid() == reference.Str("uid")
            ? found
            : null;
    }
}
