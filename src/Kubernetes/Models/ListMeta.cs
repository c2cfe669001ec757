using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>metav1.ListMeta: the list's resourceVersion and the pagination token.</summary>
public sealed class ListMeta
{
    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }

    /// <summary>Empty or absent on the last page.</summary>
    [JsonPropertyName("continue")]
    public string? Continue { get; set; }

    /// <summary>An estimate, not a count.</summary>
    [JsonPropertyName("remainingItemCount")]
    public long? RemainingItemCount { get; set; }
}
