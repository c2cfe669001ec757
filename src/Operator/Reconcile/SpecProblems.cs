using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Reconcile;

/// <summary>
/// What makes a KvCluster impossible to run although its fields each pass the schema: a name
/// that cannot name its Services and pods (checked by the CRD's CEL rule too, for API servers
/// that evaluate it), and memory settings the container limit cannot hold, which would crash
/// every node at start-up.
/// </summary>
public static class SpecProblems
{
    /// <summary>The first problem, saying what to fix; null when the cluster can run.</summary>
    public static string? Find(KvCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return ObjectNames.ClusterNameProblem(ObjectMetadata.NameOf(cluster)) ?? NodeMemory.Problem(cluster.Spec);
    }
}
