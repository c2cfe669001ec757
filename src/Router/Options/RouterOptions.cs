using KubeCache.Background;
using KubeCache.Configuration;
using KubeCache.HttpContract.Limits;
using KubeCache.Router.Upstream;
using KubeCache.Security;

namespace KubeCache.Router.Options;

/// <summary>Everything a router can be told at start-up; each default lives here once, with its unit.</summary>
public sealed class RouterOptions
{
    /// <summary>HTTP API port (RESP is accepted here too). Default 7171, as on a node.</summary>
    public int HttpPort { get; set; } = 7171;

    /// <summary>RESP port; 0 disables the listener. Default 6379.</summary>
    public int RespPort { get; set; } = 6379;

    /// <summary>Address to listen on. Default 0.0.0.0.</summary>
    public string Bind { get; set; } = "0.0.0.0";

    /// <summary>Ring document to follow; required unless <see cref="LocalNodes"/> is set (local mode writes its own).</summary>
    public string? RingFile { get; set; }

    /// <summary>
    /// ConfigMap (key <c>ring.json</c>) to follow through the Kubernetes API instead of a ring file;
    /// null (default) uses <see cref="RingFile"/>. The API connection comes from
    /// <c>KubernetesConnection.Load()</c>: the pod's service account, else KUBECONFIG or ~/.kube/config.
    /// </summary>
    public string? RingConfigMap { get; set; }

    /// <summary>Namespace of <see cref="RingConfigMap"/>; null (default) is the pod's own (the service-account namespace file), else <c>default</c>.</summary>
    public string? Namespace { get; set; }

    /// <summary>How often the ring file is checked for changes. Default 1 s.</summary>
    public TimeSpan RingPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Local mode: start this many nodes on free loopback ports and manage their ring. Default 0 (off).</summary>
    public int LocalNodes { get; set; }

    /// <summary>--max-memory of each local node, in bytes. Default 256 MiB.</summary>
    public long LocalNodeMemoryBytes { get; set; } = 256L << 20;

    /// <summary>
    /// Local mode: whether clients on other hosts may use the admin API (which starts and stops
    /// processes). Default false: only loopback clients may, whatever --bind says.
    /// </summary>
    public bool LocalAdminRemote { get; set; }

    /// <summary>Status of <c>GET /get</c> for a missing key: 404 (default) or 200.</summary>
    public int MissStatus { get; set; } = 404;

    /// <summary>Largest HTTP request body, in bytes. Default 16 MiB, as on a node.</summary>
    public long MaxBodyBytes { get; set; } = 16L << 20;

    /// <summary>Largest RESP bulk string a client may send, in bytes; larger is a protocol error. Default 16 MiB, as on a node.</summary>
    public int RespMaxBulkBytes { get; set; } = ConnectionLimits.DefaultRespMaxBulkBytes;

    /// <summary>Most arguments in one RESP command from a client. Default 1,048,576, as on a node.</summary>
    public int RespMaxArrayLength { get; set; } = ConnectionLimits.DefaultRespMaxArrayLength;

    /// <summary>Unflushed reply bytes per RESP client connection before replies are flushed mid-batch. Default 256 KiB, as on a node.</summary>
    public int RespOutputBufferBytes { get; set; } = ConnectionLimits.DefaultRespOutputBufferBytes;

    /// <summary>Connection counts, HTTP request-head sizes, idle and slow-client timeouts (defaults there).</summary>
    public ConnectionLimits Limits { get; } = new();

    /// <summary>Pooled, pipelined connections to each node. Default 2.</summary>
    public int UpstreamConnections { get; set; } = UpstreamOptions.DefaultConnectionsPerNode;

    /// <summary>How long a node may take to answer before it counts as failed. Default 1 s.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = UpstreamOptions.DefaultRequestTimeout;

    /// <summary>Idle time after which a pooled upstream connection sends a PING. Default 60 s.</summary>
    public TimeSpan UpstreamKeepAlive { get; set; } = UpstreamOptions.DefaultKeepAliveInterval;

    /// <summary>How long a rebalance in local mode waits for handoffs before finishing anyway. Default 10 minutes.</summary>
    public TimeSpan HandoffDeadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long SIGTERM waits for open requests. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

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

    /// <summary>API keys and TLS (--auth-*, --tls-*, --peer-*); off by default.</summary>
    public SecurityOptions Security { get; } = new();

    public void Validate()
    {
        if (HttpPort is < 0 or > 65535 || RespPort is < 0 or > 65535)
        {
            throw new OptionException(HttpPort is < 0 or > 65535 ? "--http-port" : "--resp-port", "must be a port between 0 and 65535.");
        }

        if (!System.Net.IPAddress.TryParse(Bind, out _))
        {
            throw new OptionException("--bind", $"'{Bind}' is not an IP address; use e.g. 0.0.0.0 or 127.0.0.1.");
        }

        if (LocalNodes is < 0 or > 64)
        {
            throw new OptionException("--local-nodes", $"must be between 0 and 64 (got {LocalNodes}).");
        }

        ValidateRingSource();

        if (MissStatus is not (404 or 200))
        {
            throw new OptionException("--miss-status", $"must be 404 or 200 (got {MissStatus}).");
        }

        Security.Validate();
        if (RespMaxBulkBytes < 1 || RespMaxArrayLength < 3 || RespOutputBufferBytes < 1024)
        {
            throw new OptionException(
                RespMaxBulkBytes < 1 ? "--resp-max-bulk-bytes" : RespMaxArrayLength < 3 ? "--resp-max-array-length" : "--resp-output-buffer-bytes",
                "is too small: a bulk needs at least 1 byte, a SET 3 arguments, and a reply buffer 1024 bytes.");
        }

        Limits.Validate();
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
        if (configMap && file)
        {
            throw new OptionException("--ring-configmap", "cannot be combined with --ring-file (KVCACHE_RING_FILE): give one ring source, the ConfigMap in Kubernetes or the file elsewhere.");
        }

        if (LocalNodes > 0 && (configMap || file))
        {
            throw new OptionException("--local-nodes", $"manages its own ring, so it cannot be combined with {(configMap ? "--ring-configmap" : "--ring-file")}.");
        }

        if (LocalNodes == 0 && !configMap && !file)
        {
            throw new OptionException("--ring-file", "is required unless --ring-configmap or --local-nodes is given: name the ring ConfigMap (in Kubernetes) or file to follow, or start local nodes with --local-nodes 3.");
        }

        if (Namespace is { Length: 0 })
        {
            throw new OptionException("--namespace", "must not be empty.");
        }
    }
}
