using System.Text.Json.Serialization;
using KubeCache.Kubernetes.Models.Core;

namespace KubeCache.Kubernetes.Models.Apps;

/// <summary>apps/v1 StatefulSet: pods with stable names (<c>{name}-{0..N-1}</c>).</summary>
public sealed class StatefulSet : KubernetesObject
{
    public StatefulSet() => (ApiVersion, Kind) = ("apps/v1", "StatefulSet");

    [JsonPropertyName("spec")]
    public StatefulSetSpec? Spec { get; set; }

    /// <summary>Written by the controller; never part of an apply body.</summary>
    [JsonPropertyName("status")]
    public StatefulSetStatus? Status { get; set; }
}

/// <summary>apps/v1 StatefulSetSpec: the fields our StatefulSet sets.</summary>
public sealed class StatefulSetSpec
{
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    /// <summary>The headless Service that gives each pod its DNS name.</summary>
    [JsonPropertyName("serviceName")]
    public string? ServiceName { get; set; }

    /// <summary>OrderedReady (the server's default) or Parallel; immutable after creation.</summary>
    [JsonPropertyName("podManagementPolicy")]
    public string? PodManagementPolicy { get; set; }

    /// <summary>Immutable after creation.</summary>
    [JsonPropertyName("selector")]
    public LabelSelector? Selector { get; set; }

    [JsonPropertyName("template")]
    public PodTemplateSpec? Template { get; set; }

    [JsonPropertyName("updateStrategy")]
    public StatefulSetUpdateStrategy? UpdateStrategy { get; set; }

    [JsonPropertyName("revisionHistoryLimit")]
    public int? RevisionHistoryLimit { get; set; }
}

/// <summary>apps/v1 StatefulSetUpdateStrategy.</summary>
public sealed class StatefulSetUpdateStrategy
{
    /// <summary>RollingUpdate (the server's default) or OnDelete.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }
}

/// <summary>apps/v1 StatefulSetStatus: what the reconciler reads back.</summary>
public sealed class StatefulSetStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("replicas")]
    public int Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("currentReplicas")]
    public int? CurrentReplicas { get; set; }

    [JsonPropertyName("updatedReplicas")]
    public int? UpdatedReplicas { get; set; }

    [JsonPropertyName("availableReplicas")]
    public int? AvailableReplicas { get; set; }
}
