using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>metav1.ObjectMeta: the fields the client, the operator and the fake API server use.</summary>
public sealed class ObjectMeta
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("generateName")]
    public string? GenerateName { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    /// <summary>Opaque; compare only for equality.</summary>
    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }

    /// <summary>1 on create; bumped by the server only when something outside metadata and status changes.</summary>
    [JsonPropertyName("generation")]
    public long? Generation { get; set; }

    [JsonPropertyName("creationTimestamp")]
    public DateTimeOffset? CreationTimestamp { get; set; }

    [JsonPropertyName("deletionTimestamp")]
    public DateTimeOffset? DeletionTimestamp { get; set; }

    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonPropertyName("ownerReferences")]
    public List<OwnerReference>? OwnerReferences { get; set; }

    [JsonPropertyName("finalizers")]
    public List<string>? Finalizers { get; set; }

    /// <summary>Server-side apply bookkeeping; kept opaque because only the server interprets it.</summary>
    [JsonPropertyName("managedFields")]
    public List<JsonElement>? ManagedFields { get; set; }
}
