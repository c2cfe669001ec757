using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace KubeCache.Operator.Resources;

/// <summary>
/// The envelope of the custom resources this operator reads or writes (KvCluster, ServiceMonitor):
/// KubernetesClient's metadata model, so the library's generic calls and informers take them.
/// </summary>
public abstract class CustomObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}
