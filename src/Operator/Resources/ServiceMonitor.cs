using System.Text.Json.Serialization;
using k8s.Models;

namespace KubeCache.Operator.Resources;

/// <summary>
/// monitoring.coreos.com/v1 ServiceMonitor (Prometheus Operator): tells Prometheus which
/// Services' endpoints to scrape. Its CRD must be installed before one can be applied.
/// </summary>
public sealed class ServiceMonitor : CustomObject
{
    public ServiceMonitor() => (ApiVersion, Kind) = ("monitoring.coreos.com/v1", "ServiceMonitor");

    [JsonPropertyName("spec")]
    public ServiceMonitorSpec? Spec { get; set; }
}

/// <summary>The fields of a ServiceMonitor's spec that we set.</summary>
public sealed class ServiceMonitorSpec
{
    /// <summary>Selects the Services (not the pods) whose endpoints are scraped.</summary>
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("namespaceSelector")]
    public NamespaceSelector? NamespaceSelector { get; set; }

    [JsonPropertyName("endpoints")]
    public List<MonitorEndpoint> Endpoints { get; set; } = [];
}

/// <summary>Which namespaces a ServiceMonitor or PodMonitor looks in; by default its own.</summary>
public sealed class NamespaceSelector
{
    [JsonPropertyName("matchNames")]
    public List<string>? MatchNames { get; set; }
}

/// <summary>One scrape endpoint of a ServiceMonitor (<c>endpoints</c>) or PodMonitor (<c>podMetricsEndpoints</c>).</summary>
public sealed class MonitorEndpoint
{
    /// <summary>The port's name: the Service's for a ServiceMonitor, the container's for a PodMonitor.</summary>
    [JsonPropertyName("port")]
    public string? Port { get; set; }

    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>A Prometheus duration such as "30s".</summary>
    [JsonPropertyName("interval")]
    public string? Interval { get; set; }
}
