using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>
/// What every object the API serves has: its type (<c>apiVersion</c>, <c>kind</c>) and its metadata.
/// Typed models derive from this and add <c>spec</c>/<c>status</c> for the fields we use.
/// </summary>
public abstract class KubernetesObject
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public ObjectMeta Metadata { get; set; } = new();
}
