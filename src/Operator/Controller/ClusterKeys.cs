using k8s;
using k8s.Models;
using KubeCache.Kubernetes;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Controller;

/// <summary>Maps any watched object to the key (<c>namespace/name</c>) of the KvCluster it belongs to.</summary>
public static class ClusterKeys
{
    /// <summary>
    /// A KvCluster's own key; for other objects, the controller owner reference to a KvCluster,
    /// else the <c>app.kubernetes.io/instance</c> label (pods carry their StatefulSet's template
    /// labels, not an owner reference to the KvCluster). Null for objects of no KvCluster.
    /// </summary>
    public static string? For(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        string? ns = obj.Metadata?.NamespaceProperty;
        if (string.IsNullOrEmpty(ns))
        {
            return null;
        }

        if (obj is KvCluster)
        {
            return Informer<KvCluster>.Key(ns, obj.Metadata!.Name ?? "");
        }

        if (obj.Metadata!.OwnerReferences?.FirstOrDefault(o => o.Kind == KvCluster.KindName && o.ApiVersion == KvCluster.GroupVersion) is { Name.Length: > 0 } owner)
        {
            return Informer<KvCluster>.Key(ns, owner.Name);
        }

        return ObjectMetadata.Label(obj, ClusterLabels.InstanceKey) is { Length: > 0 } instance
            ? Informer<KvCluster>.Key(ns, instance)
            : null;
    }

    /// <summary>The label selector of the objects the operator manages: managed-by=kvcache-operator.</summary>
    public static string ManagedSelector => $"{ClusterLabels.ManagedByKey}={ClusterLabels.ManagedBy}";
}
