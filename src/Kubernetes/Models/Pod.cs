using System.Text.Json.Serialization;
using KubeCache.Kubernetes.Models.Core;

namespace KubeCache.Kubernetes.Models;

/// <summary>core/v1 Pod: its spec (the same model as a workload's pod template) and the status ring membership needs: its IP and readiness.</summary>
public sealed class Pod : KubernetesObject
{
    [JsonPropertyName("spec")]
    public PodSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public PodStatus? Status { get; set; }
}

public sealed class PodStatus
{
    /// <summary>Pending, Running, Succeeded, Failed or Unknown.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("podIP")]
    public string? PodIP { get; set; }

    [JsonPropertyName("conditions")]
    public List<PodCondition>? Conditions { get; set; }
}

/// <summary>core/v1 PodCondition, e.g. <c>{type: Ready, status: "True"}</c>.</summary>
public sealed class PodCondition
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>True, False or Unknown.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    public DateTimeOffset? LastTransitionTime { get; set; }
}
