using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Core;

/// <summary>core/v1 Volume: the sources our workloads use.</summary>
public sealed class Volume
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("emptyDir")]
    public EmptyDirVolumeSource? EmptyDir { get; set; }

    [JsonPropertyName("secret")]
    public SecretVolumeSource? Secret { get; set; }
}

/// <summary>core/v1 EmptyDirVolumeSource.</summary>
public sealed class EmptyDirVolumeSource
{
    /// <summary>"" (node disk, the default) or Memory.</summary>
    [JsonPropertyName("medium")]
    public string? Medium { get; set; }

    [JsonPropertyName("sizeLimit")]
    public Quantity? SizeLimit { get; set; }
}

/// <summary>core/v1 SecretVolumeSource.</summary>
public sealed class SecretVolumeSource
{
    [JsonPropertyName("secretName")]
    public string SecretName { get; set; } = "";

    [JsonPropertyName("optional")]
    public bool? Optional { get; set; }
}

/// <summary>core/v1 VolumeMount.</summary>
public sealed class VolumeMount
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("mountPath")]
    public string MountPath { get; set; } = "";

    [JsonPropertyName("readOnly")]
    public bool? ReadOnly { get; set; }
}
