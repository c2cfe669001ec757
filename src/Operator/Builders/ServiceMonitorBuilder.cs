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
        string name = ObjectMetadata.NameOf(cluster);
        ServiceMonitorOptions? options = cluster.Spec.Monitoring?.ServiceMonitor;
        if (!(options?.Enabled ?? KvClusterDefaults.ServiceMonitorEnabled))
        {
            return null;
        }

        return new ServiceMonitor
        {
            Metadata = ObjectMetadata.For(cluster, ObjectNames.ServiceMonitor(name), component: null),
            Spec = new ServiceMonitorSpec
            {
                Selector = new V1LabelSelector
                {
                    MatchLabels = new Dictionary<string, string> { [ClusterLabels.NameKey] = ClusterLabels.AppName, [ClusterLabels.InstanceKey] = name },
                },
                NamespaceSelector = new NamespaceSelector { MatchNames = [ObjectMetadata.NamespaceOf(cluster)] },
                Endpoints =
                [
                    new MonitorEndpoint
                    {
                        Port = PodParts.HttpPortName,
                        Path = "/metrics",
                        Interval = options!.Interval ?? KvClusterDefaults.ServiceMonitorInterval,
                    },
                ],
            },
        };
    }
}
