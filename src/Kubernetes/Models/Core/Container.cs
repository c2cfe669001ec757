using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Core;

/// <summary>core/v1 Container: the fields our workloads set.</summary>
public sealed class Container
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("image")]
    public string? Image { get; set; }

    /// <summary>Always, IfNotPresent or Never; the server's default depends on the image tag.</summary>
    [JsonPropertyName("imagePullPolicy")]
    public string? ImagePullPolicy { get; set; }

    [JsonPropertyName("command")]
    public List<string>? Command { get; set; }

    [JsonPropertyName("args")]
    public List<string>? Args { get; set; }

    [JsonPropertyName("ports")]
    public List<ContainerPort>? Ports { get; set; }

    [JsonPropertyName("env")]
    public List<EnvVar>? Env { get; set; }

    [JsonPropertyName("resources")]
    public ResourceRequirements? Resources { get; set; }

    [JsonPropertyName("livenessProbe")]
    public Probe? LivenessProbe { get; set; }

    [JsonPropertyName("readinessProbe")]
    public Probe? ReadinessProbe { get; set; }

    [JsonPropertyName("startupProbe")]
    public Probe? StartupProbe { get; set; }

    [JsonPropertyName("lifecycle")]
    public Lifecycle? Lifecycle { get; set; }

    [JsonPropertyName("securityContext")]
    public SecurityContext? SecurityContext { get; set; }

    [JsonPropertyName("volumeMounts")]
    public List<VolumeMount>? VolumeMounts { get; set; }
}

/// <summary>core/v1 ContainerPort. Lists of these merge by <c>containerPort</c> and <c>protocol</c>.</summary>
public sealed class ContainerPort
{
    /// <summary>An IANA_SVC_NAME (≤ 15 characters) that probes and Services can refer to.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The port number (<c>containerPort</c>; a member cannot share its type's name).</summary>
    [JsonPropertyName("containerPort")]
    public int Number { get; set; }

    /// <summary>TCP (the server's default), UDP or SCTP.</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }
}
