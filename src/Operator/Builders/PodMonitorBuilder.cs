using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Builders;

/// <summary>Builds the PodMonitor (<c>demo</c>) for the Prometheus Operator.</summary>
public static class PodMonitorBuilder
{
    /// <summary>
    /// A PodMonitor scraping <c>/metrics</c> on the <c>http</c> container port of every node and
    /// router pod of the cluster, or null unless <c>spec.monitoring.podMonitor.enabled</c>.
    /// </summary>
    public static PodMonitor? Build(KvCluster cluster)
    {
        MonitorOptions? options = cluster.Spec.Monitoring?.PodMonitor;
        if (!ServiceMonitorBuilder.Enabled(options))
        {
            return null;
        }

        return new PodMonitor
        {
            Metadata = ObjectMetadata.For(cluster, ObjectNames.PodMonitor(ObjectMetadata.NameOf(cluster)), component: null),
            Spec = new PodMonitorSpec
            {
                Selector = ServiceMonitorBuilder.Selector(cluster),
                NamespaceSelector = ServiceMonitorBuilder.OwnNamespace(cluster),
                PodMetricsEndpoints = [ServiceMonitorBuilder.Endpoint(options)],
            },
        };
    }
}
