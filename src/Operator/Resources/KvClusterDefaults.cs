using KubeCache.Configuration;

namespace KubeCache.Operator.Resources;

/// <summary>
/// Every default of a KvCluster, in one place. The CRD's <c>default:</c> values and the builders
/// (for objects read from a server that did not default them) both read these.
/// </summary>
public static class KvClusterDefaults
{
    /// <summary>Cache nodes: 3, so one node can be drained while two still serve.</summary>
    public const int Replicas = 3;

    /// <summary>Node image when neither <c>spec.image</c> nor the operator's <c>--node-image</c> is set; tag = chart appVersion.</summary>
    public const string NodeImage = "ghcr.io/kubecache/kvcache-node:0.1.0";

    /// <summary>Router image when neither <c>spec.router.image</c> nor the operator's <c>--router-image</c> is set.</summary>
    public const string RouterImage = "ghcr.io/kubecache/kvcache-router:0.1.0";

    /// <summary>Longest key, in bytes: the node's <c>--max-key-bytes</c> default.</summary>
    public const int MaxKeyBytes = EntryLimits.DefaultMaxKeyBytes;

    /// <summary>Longest value, in bytes: the node's <c>--max-value-bytes</c> default.</summary>
    public const int MaxValueBytes = EntryLimits.DefaultMaxValueBytes;

    /// <summary>Longest key a node can accept, in bytes: an entry records key lengths in 16 bits.</summary>
    public const int MaxKeyBytesLimit = 65535;

    /// <summary>Largest value a node can accept, in bytes: its <c>--resp-max-bulk-bytes</c> default (16 MiB).</summary>
    public const int MaxValueBytesLimit = 16777216;

    /// <summary>TTL, in seconds, for writes that give none; 0 = keys never expire.</summary>
    public const long DefaultTtl = 0;

    /// <summary>HTTP status of <c>GET /get</c> for a missing key.</summary>
    public const int MissStatus = 404;

    /// <summary>
    /// Seconds a node pod gets to hand off its keys (preStop) and shut down before SIGKILL: 120,
    /// room to stream a few GB to the new owners on a busy cluster.
    /// </summary>
    public const long TerminationGracePeriodSeconds = 120;

    /// <summary>Router pods: 2, so one can restart while the other serves.</summary>
    public const int RouterReplicas = 2;

    /// <summary>The operator owns the router Deployment's replicas unless told an autoscaler does.</summary>
    public const bool RouterAutoscaled = false;

    /// <summary>Type of the router's Service.</summary>
    public const string RouterServiceType = "ClusterIP";

    /// <summary>A PodDisruptionBudget for the nodes is created unless disabled.</summary>
    public const bool PodDisruptionBudgetEnabled = true;

    /// <summary>Nodes a drain may evict at once: 1, so handoffs never overlap.</summary>
    public const int PodDisruptionBudgetMaxUnavailable = 1;

    /// <summary>No ServiceMonitor or PodMonitor unless asked: their CRDs exist only where the Prometheus Operator runs.</summary>
    public const bool MonitorEnabled = false;

    /// <summary>Prometheus scrape interval (a Prometheus duration).</summary>
    public const string MonitorInterval = "30s";

    /// <summary>Key in the auth Secret that holds the keys.</summary>
    public const string AuthSecretKey = "keys";
}
