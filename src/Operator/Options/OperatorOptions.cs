using KubeCache.Configuration;
using KubeCache.Operator.Builders;
using KubeCache.Operator.Resources;

namespace KubeCache.Operator.Options;

/// <summary>Everything the operator can be told at start-up; each default lives here once, with its unit.</summary>
public sealed class OperatorOptions
{
    /// <summary>HTTP port of /metrics, /healthz and /readyz. Default 8080; 0 picks a free port.</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>Address the HTTP listener binds to. Default 0.0.0.0.</summary>
    public string Bind { get; set; } = "0.0.0.0";

    /// <summary>The one namespace whose KvClusters are reconciled; empty (the default) watches all namespaces.</summary>
    public string WatchNamespace { get; set; } = "";

    /// <summary>Name of the coordination.k8s.io/v1 Lease the replicas contend for. Default kvcache-operator-leader.</summary>
    public string LeaseName { get; set; } = "kvcache-operator-leader";

    /// <summary>Namespace of the Lease; null means the operator's own (service account, else kubeconfig context, else default).</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>This replica's name in the Lease and in Events. Default the host name (the pod's name in Kubernetes).</summary>
    public string Identity { get; set; } = Environment.MachineName;

    /// <summary>Node image for KvClusters that name none. Default the node image of this release.</summary>
    public string NodeImage { get; set; } = KvClusterDefaults.NodeImage;

    /// <summary>Router image for KvClusters that name none. Default the router image of this release.</summary>
    public string RouterImage { get; set; } = KvClusterDefaults.RouterImage;

    /// <summary>
    /// How long a rebalance waits for the nodes' handoffs, counted from its start, before it
    /// finishes anyway (Degraded, Warning event). Default 600 s, the nodes' own --handoff-deadline.
    /// </summary>
    public TimeSpan HandoffDeadline { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>How often every KvCluster is reconciled even without a change. Default 5 minutes; 0 turns it off.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often each Ready node's key count is read (<c>GET /stats</c>) while nothing else wakes a
    /// KvCluster's reconcile, so a node lost to a crash is reported with the keys it held. Default
    /// 10 s: one small request per node per interval; 0 turns it off (losses are then reported without a key count).
    /// </summary>
    public TimeSpan NodePollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a Lease holder is trusted without renewing. Default 15 s (client-go's).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it stops leading. Default 10 s.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between renewals and between candidates' attempts. Default 2 s.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long SIGTERM waits for the reconcile in progress and the Lease release. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The images builders fall back to.</summary>
    public OperatorImages Images => new(NodeImage, RouterImage);

    public void Validate()
    {
        if (HttpPort is < 0 or > 65535)
        {
            throw new OptionException("--http-port", "must be a port between 0 and 65535.");
        }

        if (!System.Net.IPAddress.TryParse(Bind, out _))
        {
            throw new OptionException("--bind", $"'{Bind}' is not an IP address; use e.g. 0.0.0.0 or 127.0.0.1.");
        }

        Require("--lease-name", LeaseName);
        Require("--identity", Identity);
        Require("--node-image", NodeImage);
        Require("--router-image", RouterImage);
        if (HandoffDeadline <= TimeSpan.Zero)
        {
            throw new OptionException("--handoff-deadline", "must be positive, e.g. 600 or 10m.");
        }

        if (NodePollInterval < TimeSpan.Zero)
        {
            throw new OptionException("--node-poll-interval", "must not be negative (0 turns it off).");
        }

        if (ResyncPeriod < TimeSpan.Zero)
        {
            throw new OptionException("--resync-period", "must be 0 (off) or positive.");
        }

        if (LeaseDuration <= RenewDeadline)
        {
            throw new OptionException("--lease-duration", $"must be longer than --renew-deadline ({RenewDeadline.TotalSeconds} s).");
        }

        if (RenewDeadline <= RetryPeriod * 1.2)
        {
            throw new OptionException("--renew-deadline", $"must be longer than 1.2 × --retry-period ({RetryPeriod.TotalSeconds} s).");
        }

        if (RetryPeriod <= TimeSpan.Zero)
        {
            throw new OptionException("--retry-period", "must be positive.");
        }
    }

    private static void Require(string flag, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new OptionException(flag, "must not be empty.");
        }
    }
}
