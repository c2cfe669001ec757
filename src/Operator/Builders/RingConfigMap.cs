using System.Text.Json.Serialization;
using KubeCache.Kubernetes.Models;

namespace KubeCache.Operator.Builders;

/// <summary>
/// The ring ConfigMap as the operator applies it: a core/v1 ConfigMap with only <c>data</c>.
/// Its JSON is the ConfigMap's, so it can be applied and read back with any ConfigMap model.
/// </summary>
public sealed class RingConfigMap : KubernetesObject
{
    /// <summary>The key that holds the ring document.</summary>
    public const string Key = "ring.json";

    public RingConfigMap() => (ApiVersion, Kind) = ("v1", "ConfigMap");

    [JsonPropertyName("data")]
    public Dictionary<string, string> Data { get; set; } = [];
}
