using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>autoscaling/v1 Scale: what the <c>/scale</c> subresource reads and returns.</summary>
public sealed class Scale : KubernetesObject
{
    [JsonPropertyName("spec")]
    public ScaleSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public ScaleStatus? Status { get; set; }
}

public sealed class ScaleSpec
{
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }
}

public sealed class ScaleStatus
{
    [JsonPropertyName("replicas")]
    public int Replicas { get; set; }

    /// <summary>The serialized label selector, e.g. <c>app.kubernetes.io/instance=demo</c>.</summary>
    [JsonPropertyName("selector")]
    public string? Selector { get; set; }
}
