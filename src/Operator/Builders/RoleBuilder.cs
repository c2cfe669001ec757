using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the Role (<c>demo</c>) that lets nodes and routers follow the ring.</summary>
public static class RoleBuilder
{
    /// <summary>
    /// list and watch on the ring ConfigMap only: what the nodes' and routers' ring watcher calls.
    /// RBAC matches list and watch against resourceNames only when the request has
    /// <c>fieldSelector=metadata.name=demo-ring</c>, which is how the watcher asks.
    /// </summary>
    public static V1Role Build(KvCluster cluster)
    {
        string name = ObjectMetadata.NameOf(cluster);
        return new V1Role
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "Role",
            Metadata = ObjectMetadata.For(cluster, ObjectNames.Rbac(name), component: null),
            Rules =
            [
                new V1PolicyRule
                {
                    ApiGroups = [""],
                    Resources = ["configmaps"],
                    ResourceNames = [ObjectNames.RingConfigMap(name)],
                    Verbs = ["list", "watch"],
                },
            ],
        };
    }
}
