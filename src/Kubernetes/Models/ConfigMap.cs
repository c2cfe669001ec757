using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>core/v1 ConfigMap (the ring document lives in one).</summary>
public sealed class ConfigMap : KubernetesObject
{
    [JsonPropertyName("data")]
    public Dictionary<string, string>? Data { get; set; }

    /// <summary>Values are base64 in JSON; System.Text.Json maps byte arrays to base64.</summary>
    [JsonPropertyName("binaryData")]
    public Dictionary<string, byte[]>? BinaryData { get; set; }
}
