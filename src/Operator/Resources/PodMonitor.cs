using System.Text.Json.Serialization;
using k8s.Models;

namespace KubeCache.Operator.Resources;

/// <summary>
/// monitoring.coreos.com/v1 PodMonitor (Prometheus Operator): tells Prometheus which pods to
/// scrape directly, without a Service. Its CRD must be installed before one can be applied.
/// </summary>
public sealed class PodMonitor : CustomObject
{
    public PodMonitor() => (ApiVersion, Kind) = ("monitoring.coreos.com/v1", "PodMonitor");

    [JsonPropertyName("spec")]
    public PodMonitorSpec? Spec { get; set; }
}

/// <summary>The fields of a PodMonitor's spec that we set.</summary>
public sealed class PodMonitorSpec
{
    /// <summary>Selects the pods scraped.</summary>
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("namespaceSelector")]
    public NamespaceSelector? NamespaceSelector { get; set; }

    [JsonPropertyName("podMetricsEndpoints")]
    public List<MonitorEndpoint> PodMetricsEndpoints { get; set; } = [];
}
