using System.Text.Json.Serialization;
using KubeCache.Operator.Crd;

namespace KubeCache.Operator.Resources;

/// <summary>What the operator observed; written through the status subresource.</summary>
public sealed class KvClusterStatus
{
    [JsonPropertyName("replicas")]
    [Description("Node pods that exist (the scale subresource's status replicas).")]
    [Minimum(0)]
    public int? Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    [Description("Node pods that are ready.")]
    [Minimum(0)]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("selector")]
    [Description("Label selector of the node pods, serialised (for the scale subresource and the HorizontalPodAutoscaler).")]
    public string? Selector { get; set; }

    [JsonPropertyName("ringEpoch")]
    [Description("Epoch of the ring document in the <name>-ring ConfigMap.")]
    [Minimum(0)]
    public long? RingEpoch { get; set; }

    [JsonPropertyName("members")]
    [Description("Names of the node pods that own keys at ringEpoch.")]
    public List<string>? Members { get; set; }

    [JsonPropertyName("phase")]
    [Description("Pending (nodes starting), Ready, Rebalancing (keys moving to new owners) or Degraded (see conditions).")]
    [Enum(KvClusterPhase.Pending, KvClusterPhase.Ready, KvClusterPhase.Rebalancing, KvClusterPhase.Degraded)]
    public string? Phase { get; set; }

    [JsonPropertyName("conditions")]
    [Description("Ready, Rebalancing, Degraded, Updating (node pods being replaced after a template change, one at a time, each after handing off its keys) and, when asked for, MonitoringReady (the ServiceMonitor) and PodMonitorReady, in the metav1.Condition shape. Ready is False with reason ReconcileFailed while the operator cannot apply the cluster's objects.")]
    [ListMap("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("observedGeneration")]
    [Description("metadata.generation of the spec this status describes.")]
    [Minimum(0)]
    public long? ObservedGeneration { get; set; }
}

/// <summary>Values of <see cref="KvClusterStatus.Phase"/>.</summary>
public static class KvClusterPhase
{
    public const string Pending = "Pending";
    public const string Ready = "Ready";
    public const string Rebalancing = "Rebalancing";
    public const string Degraded = "Degraded";
}

/// <summary>Types of the conditions in <see cref="KvClusterStatus.Conditions"/>.</summary>
public static class KvClusterConditionType
{
    public const string Ready = "Ready";
    public const string Rebalancing = "Rebalancing";
    public const string Degraded = "Degraded";

    /// <summary>Whether node pods are being replaced on a new template (a warm rollout, see <c>RolloutPlanner</c>).</summary>
    public const string Updating = "Updating";

    /// <summary>Whether the ServiceMonitor the spec asks for is applied; present only when one is asked for.</summary>
    public const string MonitoringReady = "MonitoringReady";

    /// <summary>Whether the PodMonitor the spec asks for is applied; present only when one is asked for.</summary>
    public const string PodMonitorReady = "PodMonitorReady";
}
