using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the ServiceAccount (<c>demo</c>) that node and router pods run as.</summary>
public static class ServiceAccountBuilder
{
    public static V1ServiceAccount Build(KvCluster cluster) =>
        new() { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = ObjectMetadata.For(cluster, ObjectNames.Rbac(ObjectMetadata.NameOf(cluster)), component: null) };
}
