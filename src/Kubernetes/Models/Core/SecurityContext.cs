using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Core;

/// <summary>core/v1 SecurityContext (container level).</summary>
public sealed class SecurityContext
{
    [JsonPropertyName("allowPrivilegeEscalation")]
    public bool? AllowPrivilegeEscalation { get; set; }

    [JsonPropertyName("readOnlyRootFilesystem")]
    public bool? ReadOnlyRootFilesystem { get; set; }

    [JsonPropertyName("runAsNonRoot")]
    public bool? RunAsNonRoot { get; set; }

    [JsonPropertyName("runAsUser")]
    public long? RunAsUser { get; set; }

    [JsonPropertyName("runAsGroup")]
    public long? RunAsGroup { get; set; }

    [JsonPropertyName("capabilities")]
    public Capabilities? Capabilities { get; set; }

    [JsonPropertyName("seccompProfile")]
    public SeccompProfile? SeccompProfile { get; set; }
}

/// <summary>core/v1 PodSecurityContext (pod level).</summary>
public sealed class PodSecurityContext
{
    [JsonPropertyName("runAsNonRoot")]
    public bool? RunAsNonRoot { get; set; }

    [JsonPropertyName("runAsUser")]
    public long? RunAsUser { get; set; }

    [JsonPropertyName("runAsGroup")]
    public long? RunAsGroup { get; set; }

    /// <summary>Group that owns mounted volumes such as emptyDir.</summary>
    [JsonPropertyName("fsGroup")]
    public long? FsGroup { get; set; }

    [JsonPropertyName("seccompProfile")]
    public SeccompProfile? SeccompProfile { get; set; }
}

/// <summary>core/v1 Capabilities.</summary>
public sealed class Capabilities
{
    [JsonPropertyName("add")]
    public List<string>? Add { get; set; }

    [JsonPropertyName("drop")]
    public List<string>? Drop { get; set; }
}

/// <summary>core/v1 SeccompProfile.</summary>
public sealed class SeccompProfile
{
    /// <summary>RuntimeDefault, Localhost or Unconfined.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("localhostProfile")]
    public string? LocalhostProfile { get; set; }
}
