using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Rbac;

/// <summary>rbac.authorization.k8s.io/v1 Role: permissions within one namespace.</summary>
public sealed class Role : KubernetesObject
{
    public Role() => (ApiVersion, Kind) = ("rbac.authorization.k8s.io/v1", "Role");

    [JsonPropertyName("rules")]
    public List<PolicyRule> Rules { get; set; } = [];
}

/// <summary>rbac.authorization.k8s.io/v1 PolicyRule.</summary>
public sealed class PolicyRule
{
    /// <summary>"" is the core group.</summary>
    [JsonPropertyName("apiGroups")]
    public List<string>? ApiGroups { get; set; }

    [JsonPropertyName("resources")]
    public List<string>? Resources { get; set; }

    /// <summary>
    /// Restricts the rule to these object names. list and watch requests only match such a rule
    /// when they carry <c>fieldSelector=metadata.name=&lt;name&gt;</c>.
    /// </summary>
    [JsonPropertyName("resourceNames")]
    public List<string>? ResourceNames { get; set; }

    [JsonPropertyName("verbs")]
    public List<string> Verbs { get; set; } = [];
}
