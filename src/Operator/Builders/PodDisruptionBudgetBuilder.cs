using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the nodes' PodDisruptionBudget (<c>demo-nodes</c>).</summary>
public static class PodDisruptionBudgetBuilder
{
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

        return new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = ObjectMetadata.For(cluster, ObjectNames.PodDisruptionBudget(name), ClusterLabels.NodeComponent),
            Spec = new V1PodDisruptionBudgetSpec
            {
                Selector = PodParts.SelectorFor(name, ClusterLabels.NodeComponent),
                MaxUnavailable = budget?.MaxUnavailable ?? KvClusterDefaults.PodDisruptionBudgetMaxUnavailable,
            },
        };
    }
}
