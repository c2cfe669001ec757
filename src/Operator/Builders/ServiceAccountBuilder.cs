using KubeCache.Kubernetes.Models.Core;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the ServiceAccount (<c>demo</c>) that node and router pods run as.</summary>
public static class ServiceAccountBuilder
{
    public static ServiceAccount Build(KvCluster cluster) =>
        new() { Metadata = ObjectMetadata.For(cluster, ObjectNames.Rbac(ObjectMetadata.NameOf(cluster)), component: null) };
}
