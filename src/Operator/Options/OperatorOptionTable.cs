using System.Collections;
using KubeCache.Configuration;
using static KubeCache.Configuration.OptionParsers;

namespace KubeCache.Operator.Options;

/// <summary>The operator's flags and KVCACHE_* variables; --help and the README table come from here.</summary>
public static class OperatorOptionTable
{
    public static OptionTable<OperatorOptions> Table { get; } = new("KubeCache.Operator",
    [
        new("--http-port", "8080", "port", "Port of `/metrics`, `/healthz` and `/readyz`.", (o, v) => o.HttpPort = Int(v, "--http-port")),
        new("--bind", "0.0.0.0", "IP address", "Address the HTTP listener binds to.", (o, v) => o.Bind = v),
        new("--watch-namespace", "empty (all namespaces)", "namespace", "Reconcile only the KvClusters of this namespace.", (o, v) => o.WatchNamespace = v),
        new("--lease-name", "kvcache-operator-leader", "name", "The coordination.k8s.io/v1 Lease the operator replicas contend for; only its holder reconciles.", (o, v) => o.LeaseName = v),
        new("--lease-namespace", "the operator's namespace", "namespace", "Namespace of the Lease (set from the downward API in the chart).", (o, v) => o.LeaseNamespace = v) { Environment = "KVCACHE_NAMESPACE" },
        new("--identity", "the host name", "name", "This replica's name in the Lease and in Events (the pod's name in the chart).", (o, v) => o.Identity = v) { Environment = "KVCACHE_POD_NAME" },
        new("--node-image", "ghcr.io/kubecache/kvcache-node:0.1.0", "image", "Node image for KvClusters without `spec.image`.", (o, v) => o.NodeImage = v),
        new("--router-image", "ghcr.io/kubecache/kvcache-router:0.1.0", "image", "Router image for KvClusters without `spec.router.image`.", (o, v) => o.RouterImage = v),
        new("--handoff-deadline", "600", "seconds (or `10m`)", "How long a rebalance waits for the nodes' handoffs before it finishes anyway and marks the cluster Degraded.", (o, v) => o.HandoffDeadline = Duration(v, "--handoff-deadline")),
        new("--resync-period", "300", "seconds (or `5m`)", "How often every KvCluster is reconciled without a change; 0 turns it off.", (o, v) => o.ResyncPeriod = Duration(v, "--resync-period")),
        new("--node-poll-interval", "10", "seconds (or `500ms`)", "How often each Ready node's key count is read while nothing else wakes a KvCluster's reconcile, so a crashed node is reported (Event `NodeLost`, `kvcache_operator_keys_lost_total`) with the keys it held; 0 turns it off.", (o, v) => o.NodePollInterval = Duration(v, "--node-poll-interval")),
        new("--lease-duration", "15", "seconds (or `500ms`)", "How long a Lease holder is trusted without renewing before another replica takes over.", (o, v) => o.LeaseDuration = Duration(v, "--lease-duration")),
        new("--renew-deadline", "10", "seconds (or `500ms`)", "How long the leader retries renewing before it stops reconciling.", (o, v) => o.RenewDeadline = Duration(v, "--renew-deadline")),
        new("--retry-period", "2", "seconds (or `500ms`)", "Time between Lease renewals and between candidates' attempts.", (o, v) => o.RetryPeriod = Duration(v, "--retry-period")),
        new("--shutdown-timeout", "10", "seconds", "How long SIGTERM waits for the reconcile in progress and the Lease release.", (o, v) => o.ShutdownTimeout = Duration(v, "--shutdown-timeout")),
    ],
    options => options.Validate());

    /// <summary>Builds validated options from flags (<c>--flag value</c> or <c>--flag=value</c>) over environment variables.</summary>
    public static OperatorOptions Parse(IReadOnlyList<string> args, IDictionary environment) => Table.Parse(args, environment);
}
