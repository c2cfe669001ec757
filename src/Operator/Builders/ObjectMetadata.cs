using k8s;
using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Metadata shared by every object a KvCluster owns.</summary>
public static class ObjectMetadata
{
    /// <summary>
    /// Name, the KvCluster's namespace, labels, and a controller owner reference, so deleting
    /// the KvCluster garbage-collects the object.
    /// </summary>
    /// <exception cref="ArgumentException">The KvCluster has no name, namespace or uid (it was not read from the API server).</exception>
    public static V1ObjectMeta For(KvCluster cluster, string name, string? component) => new()
    {
        Name = name,
        NamespaceProperty = NamespaceOf(cluster),
        Labels = ClusterLabels.For(NameOf(cluster), component),
        OwnerReferences = [OwnerReferenceTo(cluster)],
    };

    /// <summary>The controller owner reference to <paramref name="cluster"/> (blockOwnerDeletion, so foreground deletion waits).</summary>
    public static V1OwnerReference OwnerReferenceTo(KvCluster cluster)
    {
        string name = NameOf(cluster);
        if (string.IsNullOrEmpty(cluster.Metadata.Uid))
        {
            ThrowHelper.ThrowUnreadyOwner(name, "metadata.uid");
        }

        return new V1OwnerReference
        {
            ApiVersion = KvCluster.GroupVersion,
            Kind = KvCluster.KindName,
            Name = name,
            Uid = cluster.Metadata.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }

    /// <summary>The KvCluster's name.</summary>
    /// <exception cref="ArgumentException">It has none.</exception>
    /// <summary>The value of the object's label <paramref name="key"/>, or null.</summary>
    public static string? Label(IKubernetesObject<V1ObjectMeta> obj, string key) =>
        obj?.Metadata?.Labels is { } labels && labels.TryGetValue(key, out string? value) ? value : null;

    public static string NameOf(KvCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (string.IsNullOrEmpty(cluster.Metadata.Name))
        {
            ThrowHelper.ThrowUnreadyOwner("(unnamed)", "metadata.name");
        }

        return cluster.Metadata.Name;
    }

    /// <summary>The KvCluster's namespace, which all its objects share.</summary>
    /// <exception cref="ArgumentException">It has none.</exception>
    public static string NamespaceOf(KvCluster cluster)
    {
        string name = NameOf(cluster);
        if (string.IsNullOrEmpty(cluster.Metadata.NamespaceProperty))
        {
            ThrowHelper.ThrowUnreadyOwner(name, "metadata.namespace");
        }

        return cluster.Metadata.NamespaceProperty;
    }
}
