using System.Text.Json.Serialization;

namespace KubeCache.Operator.Resources;

/// <summary>core/v1 ResourceRequirements: limits and requests by resource name (cpu, memory, ...).</summary>
public sealed class ResourceRequirements
{
    [JsonPropertyName("limits")]
    public Dictionary<string, Quantity>? Limits { get; set; }

    [JsonPropertyName("requests")]
    public Dictionary<string, Quantity>? Requests { get; set; }
}
