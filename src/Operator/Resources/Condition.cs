using System.Text.Json.Serialization;
using KubeCache.Operator.Crd;

namespace KubeCache.Operator.Resources;

/// <summary>metav1.Condition: one aspect of the resource's state, with when and why it last changed.</summary>
[Description("A metav1.Condition.")]
public sealed class Condition
{
    [JsonPropertyName("type")]
    [Description("The aspect, in CamelCase: Ready, Rebalancing or Degraded.")]
    [Required]
    [MaxLength(316)]
    [Pattern("^[A-Z][A-Za-z0-9]*$")]
    public string Type { get; set; } = "";

    [JsonPropertyName("status")]
    [Description("True, False or Unknown.")]
    [Required]
    [Enum(ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown)]
    public string Status { get; set; } = ConditionStatus.Unknown;

    [JsonPropertyName("observedGeneration")]
    [Description("metadata.generation the condition was computed from.")]
    [Minimum(0)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    [Description("When status last changed (not when the condition was last written).")]
    [Required]
    public DateTimeOffset LastTransitionTime { get; set; }

    [JsonPropertyName("reason")]
    [Description("Why, in CamelCase, for machines.")]
    [Required]
    [MinLength(1)]
    [MaxLength(1024)]
    [Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")]
    public string Reason { get; set; } = "";

    [JsonPropertyName("message")]
    [Description("Why, for humans.")]
    [Required]
    [MaxLength(32768)]
    public string Message { get; set; } = "";
}

/// <summary>Values of <see cref="Condition.Status"/>.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}
