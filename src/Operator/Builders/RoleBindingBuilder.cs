using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the RoleBinding (<c>demo</c>) granting the Role to the ServiceAccount.</summary>
public static class RoleBindingBuilder
{
    public static V1RoleBinding Build(KvCluster cluster)
    {
        string name = ObjectMetadata.NameOf(cluster);
        return new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "RoleBinding",
            Metadata = ObjectMetadata.For(cluster, ObjectNames.Rbac(name), component: null),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = ObjectNames.Rbac(name) },
            Subjects =
            [
                new Rbacv1Subject { Kind = "ServiceAccount", Name = ObjectNames.Rbac(name), NamespaceProperty = ObjectMetadata.NamespaceOf(cluster) },
            ],
        };
    }
}
