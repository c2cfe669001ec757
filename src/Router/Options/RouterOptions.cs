using KubeCache.Background;
using KubeCache.Configuration;
using KubeCache.Hosting.Options;
using KubeCache.Router.Upstream;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Router.Options;

/// <summary>Everything a router can be told at start-up; each default lives here once, with its unit.</summary>
public class RouterOptions : ServerOptions
{
    /// <summary>
    /// The router's --shutdown-delay, in seconds: 5, longer than a Service's endpoints take to
    /// drop a pod that turned not-ready or terminating (kube-proxy and EndpointSlice updates take
    /// about a second on a busy cluster), so no new connection reaches a router that stopped accepting.
    /// </summary>
    public const int DefaultShutdownDelaySeconds = 5;

    public RouterOptions() => ShutdownDelay = TimeSpan.FromSeconds(DefaultShutdownDelaySeconds);

    /// <summary>Pipelined connections to each node, at most (<see cref="UpstreamOptions.ConnectionsPerNode"/>). Default 2.</summary>
    public int UpstreamConnections { get; set; } = UpstreamOptions.DefaultConnectionsPerNode;

    /// <summary>Longest wait for a TCP connection to a node. Default 500 ms.</summary>
    public TimeSpan UpstreamConnectTimeout { get; set; } = UpstreamOptions.DefaultConnectTimeout;

    /// <summary>How long a node may take to answer before it counts as failed. Default 1 s.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = UpstreamOptions.DefaultRequestTimeout;

    /// <summary>Idle time after which a pooled upstream connection sends a PING. Default 60 s.</summary>
    public TimeSpan UpstreamKeepAlive { get; set; } = UpstreamOptions.DefaultKeepAliveInterval;

    /// <param name="handshake">What runs on each new connection to a node (TLS, AUTH); null for none.</param>
    /// <param name="errors">Where a connection's failing watchdog is reported; nowhere when null.</param>
    /// <param name="connections">The process's event-loop transport, for connections without a handshake; null for .NET's sockets.</param>
    public UpstreamOptions ToUpstreamOptions(IUpstreamHandshake? handshake = null, BackgroundErrors? errors = null, IConnectionFactory? connections = null) => new()
    {
        Handshake = handshake,
        Connections = connections,
        Errors = errors ?? BackgroundErrors.Unobserved,
        ConnectionsPerNode = UpstreamConnections,
        ConnectTimeout = UpstreamConnectTimeout,
        RequestTimeout = UpstreamTimeout,
        KeepAliveInterval = UpstreamKeepAlive,
    };

    public virtual void Validate()
    {
        ValidateServer();
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

    /// <summary>True when the process feeds the route table itself (local mode), so it names no ring source.</summary>
    protected virtual bool ManagesRing => false;

    /// <summary>Exactly one of --ring-configmap and --ring-file says where the ring comes from, unless the process manages it.</summary>
    private void ValidateRingSource()
    {
        bool configMap = !string.IsNullOrEmpty(RingConfigMap);
        bool file = !string.IsNullOrEmpty(RingFile);
        if (ManagesRing && (configMap || file))
        {
            throw new OptionException("--local-nodes", $"manages its own ring, so it cannot be combined with {(configMap ? "--ring-configmap" : "--ring-file")}.");
        }

        if (!ManagesRing && !configMap && !file)
        {
            throw new OptionException("--ring-file", "is required unless --ring-configmap is given: name the ring ConfigMap (in Kubernetes) or file to follow; to run nodes on this machine, start `src/Local` with --local-nodes 3.");
        }
    }
}
