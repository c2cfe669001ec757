using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the two Services: the nodes' headless one and the routers' client-facing one.</summary>
public static class ServiceBuilder
{
    /// <summary>
    /// <c>demo-nodes</c>: headless (clusterIP None), the StatefulSet's serviceName, so each node
    /// pod gets a DNS name. It publishes pods that are not ready: a node that is starting or
    /// handing off must still be reachable by its peers.
    /// </summary>
    public static V1Service BuildNodes(KvCluster cluster)
    {
        string name = ObjectMetadata.NameOf(cluster);
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = ObjectMetadata.For(cluster, ObjectNames.NodesService(name), ClusterLabels.NodeComponent),
            Spec = new V1ServiceSpec
            {
                ClusterIP = "None",
                PublishNotReadyAddresses = true,
                Selector = ClusterLabels.Selector(name, ClusterLabels.NodeComponent),
                Ports = [.. PodParts.ServicePorts(), .. SecurityParts.ServicePorts(cluster.Spec)],
            },
        };
    }

    /// <summary>
    /// <c>demo</c>: what clients connect to (ports http 7171, resp 6379, and resp-tls 6380 with
    /// spec.tls), of the spec's serviceType, with the spec's Service annotations.
    /// </summary>
    public static V1Service BuildRouter(KvCluster cluster)
    {
        string name = ObjectMetadata.NameOf(cluster);
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = WithAnnotations(ObjectMetadata.For(cluster, ObjectNames.RouterService(name), ClusterLabels.RouterComponent), cluster.Spec.Router?.ServiceAnnotations),
            Spec = new V1ServiceSpec
            {
                Type = cluster.Spec.Router?.ServiceType ?? KvClusterDefaults.RouterServiceType,
                Selector = ClusterLabels.Selector(name, ClusterLabels.RouterComponent),
                Ports = [.. PodParts.ServicePorts(), .. SecurityParts.ServicePorts(cluster.Spec)],
            },
        };
    }

    private static V1ObjectMeta WithAnnotations(V1ObjectMeta metadata, Dictionary<string, string>? annotations)
    {
        metadata.Annotations = annotations is { Count: > 0 } ? new Dictionary<string, string>(annotations, StringComparer.Ordinal) : null;
        return metadata;
    }
}
