using k8s.Models;

namespace KubeCache.Operator.Crd;

/// <summary>
/// The <c>required</c> lists of the Kubernetes OpenAPI document for the core/v1 types a KvCluster
/// embeds (affinity, tolerations, topology spread): the official client's models do not carry
/// them, and without them a KvCluster missing one would pass admission and fail the StatefulSet.
/// </summary>
internal static class KubernetesRequiredFields
{
    private static readonly Dictionary<Type, string[]> Fields = new()
    {
        [typeof(V1NodeSelector)] = ["nodeSelectorTerms"],
        [typeof(V1NodeSelectorRequirement)] = ["key", "operator"],
        [typeof(V1PreferredSchedulingTerm)] = ["weight", "preference"],
        [typeof(V1PodAffinityTerm)] = ["topologyKey"],
        [typeof(V1WeightedPodAffinityTerm)] = ["weight", "podAffinityTerm"],
        [typeof(V1LabelSelectorRequirement)] = ["key", "operator"],
        [typeof(V1TopologySpreadConstraint)] = ["maxSkew", "topologyKey", "whenUnsatisfiable"],
    };

    /// <summary>Whether the API requires the field <paramref name="jsonName"/> of <paramref name="type"/>.</summary>
    public static bool IsRequired(Type type, string jsonName) =>
        Fields.TryGetValue(type, out string[]? names) && names.Contains(jsonName, StringComparer.Ordinal);
}
