using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>coordination.k8s.io/v1 Lease: the lock record of leader election.</summary>
public sealed class Lease : KubernetesObject
{
    [JsonPropertyName("spec")]
    public LeaseSpec? Spec { get; set; }
}

/// <summary>coordination.k8s.io/v1 LeaseSpec. Times are MicroTime (six fractional digits).</summary>
public sealed class LeaseSpec
{
    /// <summary>Who holds the lease; empty after a release.</summary>
    [JsonPropertyName("holderIdentity")]
    public string? HolderIdentity { get; set; }

    /// <summary>How long, in seconds, other candidates wait after observing a change before taking over.</summary>
    [JsonPropertyName("leaseDurationSeconds")]
    public int? LeaseDurationSeconds { get; set; }

    [JsonPropertyName("acquireTime")]
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonPropertyName("renewTime")]
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    [JsonPropertyName("leaseTransitions")]
    public int? LeaseTransitions { get; set; }
}
