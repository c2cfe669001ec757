using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Rbac;

/// <summary>rbac.authorization.k8s.io/v1 RoleBinding: grants a Role to subjects.</summary>
public sealed class RoleBinding : KubernetesObject
{
    public RoleBinding() => (ApiVersion, Kind) = ("rbac.authorization.k8s.io/v1", "RoleBinding");

    /// <summary>Immutable after creation.</summary>
    [JsonPropertyName("roleRef")]
    public RoleRef RoleRef { get; set; } = new();

    [JsonPropertyName("subjects")]
    public List<Subject>? Subjects { get; set; }
}

/// <summary>rbac.authorization.k8s.io/v1 RoleRef.</summary>
public sealed class RoleRef
{
    [JsonPropertyName("apiGroup")]
    public string ApiGroup { get; set; } = "rbac.authorization.k8s.io";

    /// <summary>Role or ClusterRole.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Role";

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}

/// <summary>rbac.authorization.k8s.io/v1 Subject.</summary>
public sealed class Subject
{
    /// <summary>ServiceAccount, User or Group.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    /// <summary>"" for ServiceAccount; rbac.authorization.k8s.io for User and Group.</summary>
    [JsonPropertyName("apiGroup")]
    public string? ApiGroup { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}
