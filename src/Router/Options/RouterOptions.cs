using KubeCache.Background;
using KubeCache.Configuration;
using KubeCache.Hosting.Options;
using KubeCache.Router.Upstream;

namespace KubeCache.Router.Options;

/// <summary>Everything a router can be told at start-up; each default lives here once, with its unit.</summary>
public sealed class RouterOptions : ServerOptions
{
    /// <summary>Local mode: start this many nodes on free loopback ports and manage their ring. Default 0 (off).</summary>
    public int LocalNodes { get; set; }

    /// <summary>--max-memory of each local node, in bytes. Default 256 MiB.</summary>
    public long LocalNodeMemoryBytes { get; set; } = 256L << 20;

    /// <summary>
    /// Local mode: whether clients on other hosts may use the admin API (which starts and stops
    /// processes). Default false: only loopback clients may, whatever --bind says.
    /// </summary>
    public bool LocalAdminRemote { get; set; }

    /// <summary>Pooled, pipelined connections to each node. Default 2.</summary>
    public int UpstreamConnections { get; set; } = UpstreamOptions.DefaultConnectionsPerNode;

    /// <summary>How long a node may take to answer before it counts as failed. Default 1 s.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = UpstreamOptions.DefaultRequestTimeout;

    /// <summary>Idle time after which a pooled upstream connection sends a PING. Default 60 s.</summary>
    public TimeSpan UpstreamKeepAlive { get; set; } = UpstreamOptions.DefaultKeepAliveInterval;

    /// <summary>How long a rebalance in local mode waits for handoffs before finishing anyway. Default 10 minutes.</summary>
    public TimeSpan HandoffDeadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <param name="handshake">What runs on each new connection to a node (TLS, AUTH); null for none.</param>
    /// <param name="errors">Where a connection's failing watchdog is reported; nowhere when null.</param>
    public UpstreamOptions ToUpstreamOptions(IUpstreamHandshake? handshake = null, BackgroundErrors? errors = null) => new()
    {
        Handshake = handshake,
        Errors = errors ?? BackgroundErrors.Unobserved,
        ConnectionsPerNode = UpstreamConnections,
        RequestTimeout = UpstreamTimeout,
        KeepAliveInterval = UpstreamKeepAlive,
    };

    public void Validate()
    {
        ValidateServer();
        if (LocalNodes is < 0 or > 64)
        {
            throw new OptionException("--local-nodes", $"must be between 0 and 64 (got {LocalNodes}).");
        }

        ValidateRingSource();
        try
        {
            ToUpstreamOptions().Validate();
        }
        catch (ArgumentException e)
        {
            throw new OptionException(e.ParamName?.Contains("Timeout", StringComparison.Ordinal) == true ? "--upstream-timeout" : "--upstream-connections", e.Message);
        }
    }

    /// <summary>Exactly one of --ring-configmap, --ring-file and --local-nodes says where the ring comes from.</summary>
    private void ValidateRingSource()
    {
        bool configMap = !string.IsNullOrEmpty(RingConfigMap);
        bool file = !string.IsNullOrEmpty(RingFile);
        if (LocalNodes > 0 && (configMap || file))
        {
            throw new OptionException("--local-nodes", $"manages its own ring, so it cannot be combined with {(configMap ? "--ring-configmap" : "--ring-file")}.");
        }

        if (LocalNodes == 0 && !configMap && !file)
        {
            throw new OptionException("--ring-file", "is required unless --ring-configmap or --local-nodes is given: name the ring ConfigMap (in Kubernetes) or file to follow, or start local nodes with --local-nodes 3.");
        }
    }
}
