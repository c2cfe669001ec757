using System.Globalization;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer.Errors;
using KubeCache.FakeApiServer.Json;
using KubeCache.FakeApiServer.Resources;
using KubeCache.FakeApiServer.Writes;

namespace KubeCache.FakeApiServer.Disruption;

/// <summary>
/// The pods/eviction subresource: a pod is deleted (gracefully, as a DELETE) only when the one
/// PodDisruptionBudget selecting it allows a disruption, which the eviction then takes
/// (disruptionsAllowed − 1, the pod in disruptedPods until it is terminating).
/// </summary>
internal sealed class Evictions(ObjectWriter writer, ResourceRegistry registry)
{
    /// <summary>Evictions recorded and not yet seen through by the controller beyond which the apiserver refuses more (MaxDisruptedPodSize).</summary>
    public const int MaxDisruptedPods = 2000;

    private const string PodsKey = "/pods";

    /// <summary>Evicts the pod <paramref name="ns"/>/<paramref name="name"/> as <paramref name="eviction"/> (a policy/v1 Eviction) asks.</summary>
    public void Evict(string ns, string name, JsonObject eviction)
    {
        var podType = registry.FindStorage(PodsKey)!;
        if (eviction.Str("metadata", "name") is { Length: > 0 } named && named != name)
        {
            throw ApiErrors.BadRequest("name in URL does not match name in Eviction object");
        }
        var delete = DeleteOptions(eviction["deleteOptions"] as JsonObject);
        lock (writer.Store.Sync)
        {
            var pod = writer.Store.Get(PodsKey, ns, name) ?? throw ApiErrors.NotFound(podType, name);
            if (pod.Str("status", "phase") is "Succeeded" or "Failed" or "Pending" || pod["metadata"]?["deletionTimestamp"] is not null)
            {
                writer.Delete(podType, pod, delete);
                return;
            }
            var budgets = writer.Store.List(DisruptionController.StorageKey, ns).Where(b => DisruptionBudget.Selects(b, pod)).ToList();
            if (budgets.Count > 1)
            {
                throw ApiErrors.InternalError("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }
            if (budgets.Count == 1 && !MayIgnoreBudget(budgets[0], pod))
            {
                TakeDisruption(budgets[0], pod);
            }
            writer.Delete(podType, pod, delete);
        }
    }

    /// <summary>
    /// An unhealthy pod under the default IfHealthyBudget policy leaves without taking a
    /// disruption while the budget is met; under AlwaysAllow it always does.
    /// </summary>
    private static bool MayIgnoreBudget(JsonObject budget, JsonObject pod)
    {
        if (DisruptionBudget.IsHealthy(pod))
        {
            return false;
        }
        if (budget.Str("spec", "unhealthyPodEvictionPolicy") == "AlwaysAllow")
        {
            return true;
        }
        var status = budget["status"];
        var desired = status?["desiredHealthy"].AsLong() ?? 0;
        return ObservedCurrent(budget) && desired > 0 && (status?["currentHealthy"].AsLong() ?? 0) >= desired;
    }

    private static bool ObservedCurrent(JsonObject budget) => (budget["status"]?["observedGeneration"].AsLong() ?? 0) >= budget.Generation();

    /// <summary>Takes one of the budget's allowed disruptions for the pod, or refuses (429) as the apiserver's checkAndDecrement does.</summary>
    private void TakeDisruption(JsonObject budget, JsonObject pod)
    {
        var status = budget["status"] as JsonObject ?? [];
        if (!ObservedCurrent(budget))
        {
            throw ApiErrors.DisruptionBudgetViolated($"The disruption budget {budget.Name()} is still being processed by the server.");
        }
        var allowed = status["disruptionsAllowed"].AsLong() ?? 0;
        if (allowed < 0)
        {
            throw ApiErrors.ForbiddenWrite(registry.FindStorage(PodsKey)!, pod.Name(), "pdb disruptions allowed is negative");
        }
        var disrupted = status["disruptedPods"] as JsonObject ?? [];
        if (disrupted.Count > MaxDisruptedPods)
        {
            throw ApiErrors.ForbiddenWrite(registry.FindStorage(PodsKey)!, pod.Name(), "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if (allowed == 0)
        {
            throw ApiErrors.DisruptionBudgetViolated(string.Create(CultureInfo.InvariantCulture,
                $"The disruption budget {budget.Name()} needs {status["desiredHealthy"].AsLong() ?? 0} healthy pods and has {status["currentHealthy"].AsLong() ?? 0} currently"));
        }
        var next = (JsonObject)budget.DeepClone();
        var nextStatus = (JsonObject)next["status"]!;
        nextStatus["disruptionsAllowed"] = allowed - 1;
        var nextDisrupted = nextStatus["disruptedPods"] as JsonObject ?? [];
        nextDisrupted[pod.Name()] = writer.Now();
        nextStatus["disruptedPods"] = nextDisrupted;
        writer.Update(registry.FindStorage(DisruptionController.StorageKey)!, budget, next, new WriteContext("kube-apiserver", "status"));
    }

    /// <summary>The eviction's deleteOptions as a delete request (preconditions and propagation).</summary>
    private static DeleteRequest DeleteOptions(JsonObject? options) =>
        new(options.Str("propagationPolicy"), options.Str("preconditions", "uid"), options.Str("preconditions", "resourceVersion"));
}
