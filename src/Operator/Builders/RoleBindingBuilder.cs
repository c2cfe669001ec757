using KubeCache.Kubernetes.Models.Rbac;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the RoleBinding (<c>demo</c>) granting the Role to the ServiceAccount.</summary>
public static class RoleBindingBuilder
{
    public static RoleBinding Build(KvCluster cluster)
    {
        string name = ObjectMetadata.NameOf(cluster);
        return new RoleBinding
        {
            Metadata = ObjectMetadata.For(cluster, ObjectNames.Rbac(name), component: null),
            RoleRef = new RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = ObjectNames.Rbac(name) },
            Subjects =
            [
                new Subject { Kind = "ServiceAccount", Name = ObjectNames.Rbac(name), Namespace = ObjectMetadata.NamespaceOf(cluster) },
            ],
        };
    }
}
