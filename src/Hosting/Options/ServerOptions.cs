using KubeCache.Configuration;
using KubeCache.Hosting.Limits;
using KubeCache.Protocol;
using KubeCache.Security;

namespace KubeCache.Hosting.Options;

/// <summary>
/// The options every KubeCache server process (node, router) takes the same way: listeners, the
/// ring source, request and RESP frame limits, shutdown and security. Each default lives here
/// once, with its unit; <see cref="ServerOptionSpecs"/> maps the flags onto these properties.
/// </summary>
public abstract class ServerOptions
{
    /// <summary>HTTP API port (RESP is accepted here too). Default 7171, the reference implementations' port.</summary>
    public int HttpPort { get; set; } = 7171;

    /// <summary>RESP port; 0 disables the listener. Default 6379, Redis's port.</summary>
    public int RespPort { get; set; } = 6379;

    /// <summary>
    /// Event-loop threads that read and write client connections (<see cref="Transport.EpollTransportFactory"/>,
    /// Linux); 0 serves them with .NET's socket engine instead, as on other systems. Default 1: a
    /// command runs to completion on the thread that read it, as in Redis and twemproxy.
    /// </summary>
    public int IoThreads { get; set; } = 1;

    /// <summary>Most --io-threads: one loop per core of the largest machines a cache pod gets.</summary>
    public const int MaxIoThreads = 256;

    /// <summary>Address to listen on. Default 0.0.0.0, as a pod must be reachable from its Service.</summary>
    public string Bind { get; set; } = "0.0.0.0";

    /// <summary>Ring document to follow (JSON), re-read when it changes; null when another source names the ring.</summary>
    public string? RingFile { get; set; }

    /// <summary>
    /// ConfigMap (key <c>ring.json</c>) to follow through the Kubernetes API instead of a ring file;
    /// null (default) uses <see cref="RingFile"/>. The API connection comes from
    /// <c>KubernetesConnection.Load()</c>: the pod's service account, else KUBECONFIG or ~/.kube/config.
    /// </summary>
    public string? RingConfigMap { get; set; }

    /// <summary>Namespace of <see cref="RingConfigMap"/>; null (default) is the pod's own (the service-account namespace file), else <c>default</c>.</summary>
    public string? Namespace { get; set; }

    /// <summary>How often the ring file is checked for changes. Default 1 s: a rebalance starts within a second.</summary>
    public TimeSpan RingPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>HTTP status for a miss on GET /get: 404 (default) or 200 for clients that count 404 as failure.</summary>
    public int MissStatus { get; set; } = 404;

    /// <summary>Largest HTTP request body, in bytes; larger bodies get 413. Default 16 MiB, room for batches.</summary>
    public long MaxBodyBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Largest RESP bulk string a client may send, in bytes; larger is a protocol error. Default 16 MiB, above any storable value, so an oversized value gets a clear error instead.</summary>
    public int RespMaxBulkBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most arguments in one RESP command. Default 1,048,576.</summary>
    public int RespMaxArrayLength { get; set; } = 1024 * 1024;

    /// <summary>Unflushed reply bytes per RESP connection before replies are flushed mid-batch. Default 256 KiB.</summary>
    public int RespOutputBufferBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Bytes one RESP connection may hold in a transaction: its queued commands (as sent) plus its
    /// watched keys. A command past it is refused, and EXEC then aborts. Default 64 MiB, room for a
    /// few values of the largest size.
    /// </summary>
    public long RespMaxTransactionBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Connection counts, HTTP request-head sizes, idle and slow-client timeouts (defaults there).</summary>
    public ConnectionLimits Limits { get; } = new();

    /// <summary>How long shutdown waits for open requests to finish. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a stopping process keeps serving, with /readyz already 503, before it stops
    /// accepting and drains (<see cref="ShutdownDrain"/>). Default 0: a node's preStop hook holds
    /// it until its keys are handed off; the router sets its own default.
    /// </summary>
    public TimeSpan ShutdownDelay { get; set; } = TimeSpan.Zero;

    /// <summary>API keys and TLS (--auth-*, --tls-*, --peer-*); off by default.</summary>
    public SecurityOptions Security { get; } = new();

    /// <summary>The RESP frame limits of an authenticated connection.</summary>
    public RespLimits RespLimits => new() { MaxBulkBytes = RespMaxBulkBytes, MaxArrayLength = RespMaxArrayLength };

    /// <summary>Throws <see cref="OptionException"/> naming the flag when a shared value cannot work.</summary>
    protected void ValidateServer()
    {
        CheckPort("--http-port", HttpPort);
        CheckPort("--resp-port", RespPort);
        if (!System.Net.IPAddress.TryParse(Bind, out _))
        {
            throw new OptionException("--bind", $"'{Bind}' is not an IP address; use e.g. 0.0.0.0 or 127.0.0.1.");
        }

        if (MissStatus is not (404 or 200))
        {
            throw new OptionException("--miss-status", $"must be 404 or 200 (got {MissStatus}).");
        }

        if (IoThreads is < 0 or > MaxIoThreads)
        {
            throw new OptionException("--io-threads", $"must be from 0 (.NET's socket engine) to {MaxIoThreads} (got {IoThreads}).");
        }

        ValidateRingSource();
        if (MaxBodyBytes < 1024)
        {
            throw new OptionException("--max-body-bytes", $"must be at least 1024 (got {MaxBodyBytes}).");
        }

        if (RespMaxBulkBytes < 1 || RespMaxArrayLength < 3 || RespOutputBufferBytes < 1024)
        {
            throw new OptionException(
                RespMaxBulkBytes < 1 ? "--resp-max-bulk-bytes" : RespMaxArrayLength < 3 ? "--resp-max-array-length" : "--resp-output-buffer-bytes",
                "is too small: a bulk needs at least 1 byte, a SET 3 arguments, and a reply buffer 1024 bytes.");
        }

        if (RespMaxTransactionBytes < 1024)
        {
            throw new OptionException("--resp-max-transaction-bytes", $"must be at least 1024 (got {RespMaxTransactionBytes}).");
        }

        if (ShutdownDelay < TimeSpan.Zero || ShutdownTimeout < TimeSpan.Zero)
        {
            throw new OptionException(ShutdownDelay < TimeSpan.Zero ? "--shutdown-delay" : "--shutdown-timeout", "must not be negative.");
        }

        Security.Validate();
        Limits.Validate();
    }

    private void ValidateRingSource()
    {
        if (RingFile is { Length: > 0 } && RingConfigMap is { Length: > 0 })
        {
            throw new OptionException("--ring-configmap", "cannot be combined with --ring-file (KVCACHE_RING_FILE): give one ring source, the ConfigMap in Kubernetes or the file elsewhere.");
        }

        if (Namespace is { Length: 0 } || RingConfigMap is { Length: 0 })
        {
            throw new OptionException(Namespace is { Length: 0 } ? "--namespace" : "--ring-configmap", "must not be empty.");
        }

        if (RingPollInterval <= TimeSpan.Zero)
        {
            throw new OptionException("--ring-poll-interval", "must be positive.");
        }
    }

    private static void CheckPort(string flag, int port)
    {
        if (port is < 0 or > 65535)
        {
            throw new OptionException(flag, $"must be a port between 0 and 65535 (got {port}).");
        }
    }
}
