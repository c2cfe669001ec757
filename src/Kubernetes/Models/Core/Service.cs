using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Core;

/// <summary>core/v1 Service.</summary>
public sealed class Service : KubernetesObject
{
    public Service() => (ApiVersion, Kind) = ("v1", "Service");

    [JsonPropertyName("spec")]
    public ServiceSpec? Spec { get; set; }
}

/// <summary>core/v1 ServiceSpec: the fields our Services set.</summary>
public sealed class ServiceSpec
{
    /// <summary>ClusterIP (the server's default), NodePort or LoadBalancer.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>"None" makes the Service headless: DNS returns the pods' addresses.</summary>
    [JsonPropertyName("clusterIP")]
    public string? ClusterIP { get; set; }

    [JsonPropertyName("selector")]
    public Dictionary<string, string>? Selector { get; set; }

    [JsonPropertyName("ports")]
    public List<ServicePort>? Ports { get; set; }

    /// <summary>Publish addresses of pods that are not ready, for peer discovery.</summary>
    [JsonPropertyName("publishNotReadyAddresses")]
    public bool? PublishNotReadyAddresses { get; set; }
}

/// <summary>core/v1 ServicePort.</summary>
public sealed class ServicePort
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("port")]
    public int Port { get; set; }

    /// <summary>A container port's number or name; the server defaults it to <see cref="Port"/>.</summary>
    [JsonPropertyName("targetPort")]
    public IntOrString? TargetPort { get; set; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    /// <summary>Assigned by the server for NodePort and LoadBalancer Services.</summary>
    [JsonPropertyName("nodePort")]
    public int? NodePort { get; set; }
}
