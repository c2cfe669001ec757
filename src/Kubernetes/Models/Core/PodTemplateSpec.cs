using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Core;

/// <summary>core/v1 PodTemplateSpec: the pods a StatefulSet or Deployment creates.</summary>
public sealed class PodTemplateSpec
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec")]
    public PodSpec? Spec { get; set; }
}
