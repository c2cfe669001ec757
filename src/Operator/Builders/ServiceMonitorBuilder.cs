using k8s.Models;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the ServiceMonitor (<c>demo</c>) for the Prometheus Operator.</summary>
public static class ServiceMonitorBuilder
{
    /// <summary>
    /// A ServiceMonitor scraping <c>/metrics</c> on the <c>http</c> port of both Services (nodes
    /// and routers share the cluster's name and instance labels), or null unless
    /// <c>spec.monitoring.serviceMonitor.enabled</c>.
    /// </summary>
    public static ServiceMonitor? Build(KvCluster cluster)
    {
        MonitorOptions? options = cluster.Spec.Monitoring?.ServiceMonitor;
        if (!Enabled(options))
        {
            return null;
        }

        string name = ObjectMetadata.NameOf(cluster);
        return new ServiceMonitor
        {
            Metadata = ObjectMetadata.For(cluster, ObjectNames.ServiceMonitor(name), component: null),
            Spec = new ServiceMonitorSpec { Selector = Selector(cluster), NamespaceSelector = OwnNamespace(cluster), Endpoints = [Endpoint(options)] },
        };
    }

    /// <summary>Whether a ServiceMonitor or PodMonitor with <paramref name="options"/> is asked for.</summary>
    internal static bool Enabled(MonitorOptions? options) => options?.Enabled ?? KvClusterDefaults.MonitorEnabled;

    /// <summary>The cluster's Services or pods, nodes and routers alike: they share the name and instance labels.</summary>
    internal static V1LabelSelector Selector(KvCluster cluster) => new()
    {
        MatchLabels = new Dictionary<string, string> { [ClusterLabels.NameKey] = ClusterLabels.AppName, [ClusterLabels.InstanceKey] = ObjectMetadata.NameOf(cluster) },
    };

    internal static NamespaceSelector OwnNamespace(KvCluster cluster) => new() { MatchNames = [ObjectMetadata.NamespaceOf(cluster)] };

    /// <summary><c>/metrics</c> on the port named <c>http</c> (the Services' and the containers' alike).</summary>
    internal static MonitorEndpoint Endpoint(MonitorOptions? options) => new()
    {
        Port = PodParts.HttpPortName,
        Path = "/metrics",
        Interval = options?.Interval ?? KvClusterDefaults.MonitorInterval,
    };
}
