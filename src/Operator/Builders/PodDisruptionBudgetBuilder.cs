using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the PodDisruptionBudgets of the nodes (<c>demo-nodes</c>) and of the routers (<c>demo-router</c>).</summary>
public static class PodDisruptionBudgetBuilder
{
    /// <summary>
    /// Routers a drain may evict at once: 1. Routers hold no data, but a drain of every host at
    /// once would take every router, and so the whole cache, away from its clients.
    /// </summary>
    public const int RouterMaxUnavailable = 1;

    /// <summary>
    /// The budget over the node pods, or null when <c>spec.podDisruptionBudget.enabled</c> is
    /// false (the reconciler then deletes any budget it created before).
    /// </summary>
    public static V1PodDisruptionBudget? Build(KvCluster cluster)
    {
        string name = ObjectMetadata.NameOf(cluster);
        DisruptionBudgetSpec? budget = cluster.Spec.PodDisruptionBudget;
        if (!(budget?.Enabled ?? KvClusterDefaults.PodDisruptionBudgetEnabled))
        {
            return null;
        }

        return Budget(cluster, ObjectNames.PodDisruptionBudget(name), ClusterLabels.NodeComponent,
            budget?.MaxUnavailable ?? KvClusterDefaults.PodDisruptionBudgetMaxUnavailable);
    }

    /// <summary>The budget over the router pods, or null when <c>spec.podDisruptionBudget.enabled</c> is false.</summary>
    public static V1PodDisruptionBudget? BuildRouter(KvCluster cluster)
    {
        string name = ObjectMetadata.NameOf(cluster);
        return cluster.Spec.PodDisruptionBudget?.Enabled ?? KvClusterDefaults.PodDisruptionBudgetEnabled
            ? Budget(cluster, ObjectNames.RouterPodDisruptionBudget(name), ClusterLabels.RouterComponent, RouterMaxUnavailable)
            : null;
    }

    private static V1PodDisruptionBudget Budget(KvCluster cluster, string budgetName, string component, IntOrString maxUnavailable)
    {
        string name = ObjectMetadata.NameOf(cluster);
        return new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = ObjectMetadata.For(cluster, budgetName, component),
            Spec = new V1PodDisruptionBudgetSpec { Selector = PodParts.SelectorFor(name, component), MaxUnavailable = maxUnavailable },
        };
    }
}
