using System.Text.Json.Serialization;
using KubeCache.Operator.Crd;

namespace KubeCache.Operator.Resources;

/// <summary>
/// kubecache.io/v1alpha1 KvCluster: one cache cluster. The operator turns it into a StatefulSet
/// of nodes, a router Deployment, their Services, the ring ConfigMap, a PodDisruptionBudget and
/// RBAC, and reports progress in <see cref="Status"/>.
/// </summary>
[CustomResource(Group, Version, KindName, Plural, ShortNames = ["kvc"])]
[Description("A KubeCache cluster: sharded in-memory cache nodes behind routers that consistent-hash every key to its owner.")]
[ScaleSubresource(".spec.replicas", ".status.replicas", ".status.selector")]
[PrinterColumn(0, "Replicas", "integer", ".spec.replicas", Description = "Desired cache nodes.")]
[PrinterColumn(1, "Ready", "integer", ".status.readyReplicas", Description = "Cache nodes that are ready.")]
[PrinterColumn(2, "Epoch", "integer", ".status.ringEpoch", Description = "Epoch of the published ring.")]
[PrinterColumn(3, "Phase", "string", ".status.phase", Description = "Pending, Ready, Rebalancing or Degraded.")]
[PrinterColumn(4, "Age", "date", ".metadata.creationTimestamp")]
public sealed class KvCluster : CustomObject
{
    public const string Group = "kubecache.io";
    public const string Version = "v1alpha1";
    public const string KindName = "KvCluster";
    public const string Plural = "kvclusters";

    /// <summary>"kubecache.io/v1alpha1".</summary>
    public const string GroupVersion = Group + "/" + Version;

    public KvCluster() => (ApiVersion, Kind) = (GroupVersion, KindName);

    [JsonPropertyName("spec")]
    [Description("The desired cluster.")]
    [DefaultEmptyObject]
    public KvClusterSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    [Description("What the operator observed; written only by the operator.")]
    public KvClusterStatus? Status { get; set; }
}
