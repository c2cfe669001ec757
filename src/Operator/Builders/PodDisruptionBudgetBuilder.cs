using KubeCache.Kubernetes.Models.Policy;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the nodes' PodDisruptionBudget (<c>demo-nodes</c>).</summary>
public static class PodDisruptionBudgetBuilder
{
    /// <summary>
    /// The budget over the node pods, or null when <c>spec.podDisruptionBudget.enabled</c> is
    /// false (the reconciler then deletes any budget it created before).
    /// </summary>
    public static PodDisruptionBudget? Build(KvCluster cluster)
    {
        string name = ObjectMetadata.NameOf(cluster);
        DisruptionBudgetSpec? budget = cluster.Spec.PodDisruptionBudget;
        if (!(budget?.Enabled ?? KvClusterDefaults.PodDisruptionBudgetEnabled))
        {
            return null;
        }

        return new PodDisruptionBudget
        {
            Metadata = ObjectMetadata.For(cluster, ObjectNames.PodDisruptionBudget(name), ClusterLabels.NodeComponent),
            Spec = new PodDisruptionBudgetSpec
            {
                Selector = PodParts.SelectorFor(name, ClusterLabels.NodeComponent),
                MaxUnavailable = budget?.MaxUnavailable ?? KvClusterDefaults.PodDisruptionBudgetMaxUnavailable,
            },
        };
    }
}
