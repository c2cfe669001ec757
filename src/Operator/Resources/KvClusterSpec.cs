using System.Text.Json.Serialization;
using k8s.Models;
using KubeCache.Operator.Crd;

namespace KubeCache.Operator.Resources;

/// <summary>
/// The desired KvCluster. Every field is optional: a null field takes its default from
/// <see cref="KvClusterDefaults"/> (the CRD declares the same defaults to the API server), and
/// node flags are passed only for fields that are set.
/// </summary>
[Description("The desired cluster. Every field is optional.")]
[ValidationRule(
    "!has(self.maxKeyBytes) || !has(self.maxValueBytes) || self.maxKeyBytes <= self.maxValueBytes",
    "maxKeyBytes must not exceed maxValueBytes; lower maxKeyBytes or raise maxValueBytes.")]
public sealed class KvClusterSpec
{
    /// <summary>
    /// The grammar of the node's <c>--max-memory</c>: a whole number with an optional unit
    /// b, k, m, g (powers of 1000) or kb, mb, gb (powers of 1024), any case.
    /// </summary>
    public const string MaxMemoryPattern = "^[0-9]+([kKmMgG][bB]?|[bB])?$";

    [JsonPropertyName("replicas")]
    [Description("Cache nodes (StatefulSet pods), at least 1 (delete the KvCluster to stop it). Default 3. Scaling hands keys to their new owners before a node is removed.")]
    [Minimum(1)]
    [Default(KvClusterDefaults.Replicas)]
    public int? Replicas { get; set; }

    [JsonPropertyName("image")]
    [Description("Node image. Default: the operator's --node-image (ghcr.io/kubecache/kvcache-node:0.1.0).")]
    [MinLength(1)]
    public string? Image { get; set; }

    [JsonPropertyName("imagePullPolicy")]
    [Description("Pull policy of the node and router images. Default: Kubernetes' own (Always for :latest, else IfNotPresent).")]
    [Enum("Always", "IfNotPresent", "Never")]
    public string? ImagePullPolicy { get; set; }

    [JsonPropertyName("resources")]
    [Description("CPU and memory requests and limits of each node container. The memory limit also sizes the cache when maxMemory is not set.")]
    public ResourceRequirements? Resources { get; set; }

    [JsonPropertyName("maxMemory")]
    [Description("Byte budget of each node for keys, values and 48 bytes per entry, like \"512mb\" or \"2gb\" (kb/mb/gb = 1024, k/m/g = 1000). Default: 70% of resources.limits.memory, at most what the node's GC heap holds. With a memory limit, a budget above 7/8 of (limit - memoryReserve - 64 MiB of heap headroom) is refused (Ready False, reason InvalidSpec) before any pod is changed.")]
    [Pattern(MaxMemoryPattern)]
    [MaxLength(24)]
    public string? MaxMemory { get; set; }

    [JsonPropertyName("memoryReserve")]
    [Description("Part of resources.limits.memory kept outside each node's GC heap (runtime, JIT code, thread stacks), in the maxMemory grammar. Default \"64mb\".")]
    [Pattern(MaxMemoryPattern)]
    [MaxLength(24)]
    public string? MemoryReserve { get; set; }

    [JsonPropertyName("shards")]
    [Description("Store partitions per node, each with its own lock and LRU. Default: the node picks a power of two up to 64 from its memory budget.")]
    [Minimum(1)]
    [Maximum(65536)]
    public int? Shards { get; set; }

    [JsonPropertyName("maxKeyBytes")]
    [Description("Longest key accepted, in bytes; at most 65535. The default is the node's.")]
    [Minimum(1)]
    [Maximum(KvClusterDefaults.MaxKeyBytesLimit)]
    [Default(KvClusterDefaults.MaxKeyBytes)]
    public int? MaxKeyBytes { get; set; }

    [JsonPropertyName("maxValueBytes")]
    [Description("Longest value accepted, in bytes; at most 16777216 (16 MiB). The default is the node's.")]
    [Minimum(1)]
    [Maximum(KvClusterDefaults.MaxValueBytesLimit)]
    [Default(KvClusterDefaults.MaxValueBytes)]
    public int? MaxValueBytes { get; set; }

    [JsonPropertyName("defaultTtl")]
    [Description("TTL in seconds given to writes that set none. Default 0: such keys never expire.")]
    [Minimum(0)]
    [Default(KvClusterDefaults.DefaultTtl)]
    public long? DefaultTtl { get; set; }

    [JsonPropertyName("missStatus")]
    [Description("HTTP status of GET /get for a missing key: 404, or 200 for clients that count every 404 as a failure. Default 404.")]
    [Enum(404, 200)]
    [Default(KvClusterDefaults.MissStatus)]
    public int? MissStatus { get; set; }

    [JsonPropertyName("terminationGracePeriodSeconds")]
    [Description("Seconds a stopping node gets to hand off its keys and shut down before it is killed. Default 120. The node's shutdown gets 1/12 of it (1 to 10 s) and its preStop handoff wait the rest.")]
    [Minimum(1)]
    [Default(KvClusterDefaults.TerminationGracePeriodSeconds)]
    public long? TerminationGracePeriodSeconds { get; set; }

    [JsonPropertyName("router")]
    [Description("The router Deployment and its Service.")]
    [DefaultEmptyObject]
    public RouterSpec? Router { get; set; }

    [JsonPropertyName("podDisruptionBudget")]
    [Description("The PodDisruptionBudgets that limit how many nodes (and routers: one at a time) a drain evicts at once.")]
    [DefaultEmptyObject]
    public DisruptionBudgetSpec? PodDisruptionBudget { get; set; }

    [JsonPropertyName("affinity")]
    [Description("Pod affinity of the node pods (core/v1 Affinity). Default: none; the production example prefers one node per host.")]
    public V1Affinity? Affinity { get; set; }

    [JsonPropertyName("tolerations")]
    [Description("Tolerations of the node pods (core/v1 Toleration list).")]
    public List<V1Toleration>? Tolerations { get; set; }

    [JsonPropertyName("topologySpreadConstraints")]
    [Description("Topology spread constraints of the node pods (core/v1 TopologySpreadConstraint list).")]
    public List<V1TopologySpreadConstraint>? TopologySpreadConstraints { get; set; }

    [JsonPropertyName("nodeSelector")]
    [Description("Node labels the node pods must be scheduled on (the pod's nodeSelector).")]
    public Dictionary<string, string>? NodeSelector { get; set; }

    [JsonPropertyName("priorityClassName")]
    [Description("PriorityClass of the node pods, so a cache is not preempted by less important pods.")]
    [MinLength(1)]
    [MaxLength(253)]
    public string? PriorityClassName { get; set; }

    [JsonPropertyName("podAnnotations")]
    [Description("Annotations added to the node pods (beside the prometheus.io scrape annotations, which they cannot replace).")]
    public Dictionary<string, string>? PodAnnotations { get; set; }

    [JsonPropertyName("monitoring")]
    [Description("Prometheus integration.")]
    [DefaultEmptyObject]
    public MonitoringSpec? Monitoring { get; set; }

    [JsonPropertyName("auth")]
    [Description("Client authentication: the Secret holding the accepted keys, mounted into nodes and routers.")]
    public AuthSpec? Auth { get; set; }

    [JsonPropertyName("tls")]
    [Description("TLS: the Secret holding the certificate, mounted into nodes and routers, which serve RESP over TLS on 6380 (port resp-tls of both Services) and HTTPS on 7443 (port https) and talk to each other over TLS; the operator asks them for handoff progress over HTTPS.")]
    public TlsSpec? Tls { get; set; }
}
