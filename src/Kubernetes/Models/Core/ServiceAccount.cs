using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Core;

/// <summary>core/v1 ServiceAccount: the identity pods use to call the API server.</summary>
public sealed class ServiceAccount : KubernetesObject
{
    public ServiceAccount() => (ApiVersion, Kind) = ("v1", "ServiceAccount");

    [JsonPropertyName("automountServiceAccountToken")]
    public bool? AutomountServiceAccountToken { get; set; }
}
