using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>metav1.OwnerReference: ties a dependent to its owner so garbage collection removes it.</summary>
public sealed class OwnerReference
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("uid")]
    public string Uid { get; set; } = "";

    /// <summary>At most one owner reference of an object sets this.</summary>
    [JsonPropertyName("controller")]
    public bool? Controller { get; set; }

    [JsonPropertyName("blockOwnerDeletion")]
    public bool? BlockOwnerDeletion { get; set; }
}
