using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>metav1.DeleteOptions, sent as the body of a DELETE.</summary>
public sealed class DeleteOptions
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "DeleteOptions";

    /// <summary>Foreground, Background or Orphan; null leaves the server's default for the kind.</summary>
    [JsonPropertyName("propagationPolicy")]
    public string? PropagationPolicy { get; set; }

    /// <summary>The delete fails with 409 unless the object still has this uid/resourceVersion.</summary>
    [JsonPropertyName("preconditions")]
    public Preconditions? Preconditions { get; set; }

    [JsonPropertyName("gracePeriodSeconds")]
    public long? GracePeriodSeconds { get; set; }
}

/// <summary>metav1.Preconditions.</summary>
public sealed class Preconditions
{
    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }
}
