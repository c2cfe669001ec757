using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models;

/// <summary>metav1.LabelSelector, as used by StatefulSets, Deployments and PodDisruptionBudgets.</summary>
public sealed class LabelSelector
{
    [JsonPropertyName("matchLabels")]
    public Dictionary<string, string>? MatchLabels { get; set; }

    [JsonPropertyName("matchExpressions")]
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

/// <summary>One <c>key operator values</c> term of a label selector.</summary>
public sealed class LabelSelectorRequirement
{
    [JsonPropertyName("key")]
    public string Key { get; set; } = "";

    /// <summary>In, NotIn, Exists or DoesNotExist.</summary>
    [JsonPropertyName("operator")]
    public string Operator { get; set; } = "";

    [JsonPropertyName("values")]
    public List<string>? Values { get; set; }
}
