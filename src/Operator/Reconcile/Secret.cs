using System.Text.Json.Serialization;
using KubeCache.Kubernetes.Models;

namespace KubeCache.Operator.Reconcile;

/// <summary>core/v1 Secret, read only for the KvCluster's API keys; its data never leaves memory.</summary>
public sealed class Secret : KubernetesObject
{
    /// <summary>Values are base64 in JSON; System.Text.Json maps byte arrays to base64.</summary>
    [JsonPropertyName("data")]
    public Dictionary<string, byte[]>? Data { get; set; }
}
