using System.Text.Json.Serialization;

namespace KubeCache.Kubernetes.Models.Core;

/// <summary>core/v1 EnvVar: a literal value or one taken from the downward API or a Secret.</summary>
public sealed class EnvVar
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("value")]
    public string? Value { get; set; }

    [JsonPropertyName("valueFrom")]
    public EnvVarSource? ValueFrom { get; set; }

    /// <summary>A variable holding a field of the pod itself, e.g. <c>metadata.name</c>.</summary>
    public static EnvVar FromField(string name, string fieldPath) =>
        new() { Name = name, ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = fieldPath } } };
}

/// <summary>core/v1 EnvVarSource.</summary>
public sealed class EnvVarSource
{
    [JsonPropertyName("fieldRef")]
    public ObjectFieldSelector? FieldRef { get; set; }

    [JsonPropertyName("secretKeyRef")]
    public SecretKeySelector? SecretKeyRef { get; set; }
}

/// <summary>core/v1 ObjectFieldSelector (downward API).</summary>
public sealed class ObjectFieldSelector
{
    /// <summary>Defaults to v1 on the server.</summary>
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("fieldPath")]
    public string FieldPath { get; set; } = "";
}

/// <summary>core/v1 SecretKeySelector.</summary>
public sealed class SecretKeySelector
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("key")]
    public string Key { get; set; } = "";

    [JsonPropertyName("optional")]
    public bool? Optional { get; set; }
}
