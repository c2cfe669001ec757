using System.Text.Json.Serialization;
using KubeCache.Kubernetes.Models.Core;

namespace KubeCache.Kubernetes.Models.Apps;

/// <summary>apps/v1 Deployment.</summary>
public sealed class Deployment : KubernetesObject
{
    public Deployment() => (ApiVersion, Kind) = ("apps/v1", "Deployment");

    [JsonPropertyName("spec")]
    public DeploymentSpec? Spec { get; set; }

    /// <summary>Written by the controller; never part of an apply body.</summary>
    [JsonPropertyName("status")]
    public DeploymentStatus? Status { get; set; }
}

/// <summary>apps/v1 DeploymentSpec: the fields our Deployment sets.</summary>
public sealed class DeploymentSpec
{
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    /// <summary>Immutable after creation.</summary>
    [JsonPropertyName("selector")]
    public LabelSelector? Selector { get; set; }

    [JsonPropertyName("template")]
    public PodTemplateSpec? Template { get; set; }

    [JsonPropertyName("strategy")]
    public DeploymentStrategy? Strategy { get; set; }

    [JsonPropertyName("revisionHistoryLimit")]
    public int? RevisionHistoryLimit { get; set; }
}

/// <summary>apps/v1 DeploymentStrategy.</summary>
public sealed class DeploymentStrategy
{
    /// <summary>RollingUpdate (the server's default) or Recreate.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("rollingUpdate")]
    public RollingUpdateDeployment? RollingUpdate { get; set; }
}

/// <summary>apps/v1 RollingUpdateDeployment: counts or percentages of the desired replicas.</summary>
public sealed class RollingUpdateDeployment
{
    [JsonPropertyName("maxUnavailable")]
    public IntOrString? MaxUnavailable { get; set; }

    [JsonPropertyName("maxSurge")]
    public IntOrString? MaxSurge { get; set; }
}

/// <summary>apps/v1 DeploymentStatus: what the reconciler reads back.</summary>
public sealed class DeploymentStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("availableReplicas")]
    public int? AvailableReplicas { get; set; }

    [JsonPropertyName("updatedReplicas")]
    public int? UpdatedReplicas { get; set; }
}
