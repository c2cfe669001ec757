using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Policy;

/// <summary>
/// policy/v1 PodDisruptionBudget. It limits voluntary evictions (node drains) only; deleting
/// pods or scaling down bypasses it.
/// </summary>
public sealed class PodDisruptionBudget : KubernetesObject
{
    public PodDisruptionBudget() => (ApiVersion, Kind) = ("policy/v1", "PodDisruptionBudget");

    [JsonPropertyName("spec")]
    public PodDisruptionBudgetSpec? Spec { get; set; }
}

/// <summary>policy/v1 PodDisruptionBudgetSpec; set one of minAvailable and maxUnavailable.</summary>
public sealed class PodDisruptionBudgetSpec
{
    [JsonPropertyName("selector")]
    public LabelSelector? Selector { get; set; }

    /// <summary>A count or a percentage (<c>"25%"</c>).</summary>
    [JsonPropertyName("maxUnavailable")]
    public IntOrString? MaxUnavailable { get; set; }

    /// <summary>A count or a percentage (<c>"75%"</c>).</summary>
    [JsonPropertyName("minAvailable")]
    public IntOrString? MinAvailable { get; set; }
}
