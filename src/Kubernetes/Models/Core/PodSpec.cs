using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Core;

/// <summary>
/// core/v1 PodSpec: the fields our workloads set. Scheduling fields the operator only passes
/// through from the KvCluster (affinity, tolerations, topology spread) stay untyped JSON.
/// </summary>
public sealed class PodSpec
{
    /// <summary>The node the pod is scheduled to; set by the scheduler, never by us.</summary>
    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    [JsonPropertyName("serviceAccountName")]
    public string? ServiceAccountName { get; set; }

    [JsonPropertyName("automountServiceAccountToken")]
    public bool? AutomountServiceAccountToken { get; set; }

    /// <summary>Seconds between SIGTERM (after preStop starts) and SIGKILL; server default 30.</summary>
    [JsonPropertyName("terminationGracePeriodSeconds")]
    public long? TerminationGracePeriodSeconds { get; set; }

    [JsonPropertyName("securityContext")]
    public PodSecurityContext? SecurityContext { get; set; }

    [JsonPropertyName("containers")]
    public List<Container> Containers { get; set; } = [];

    [JsonPropertyName("volumes")]
    public List<Volume>? Volumes { get; set; }

    [JsonPropertyName("affinity")]
    public JsonObject? Affinity { get; set; }

    [JsonPropertyName("tolerations")]
    public List<JsonObject>? Tolerations { get; set; }

    [JsonPropertyName("topologySpreadConstraints")]
    public List<JsonObject>? TopologySpreadConstraints { get; set; }

    [JsonPropertyName("nodeSelector")]
    public Dictionary<string, string>? NodeSelector { get; set; }
}
