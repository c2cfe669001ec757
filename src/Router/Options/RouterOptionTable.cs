using System.Collections;
using KubeCache.Configuration;
using KubeCache.HttpContract.Limits;
using KubeCache.Security;
using static KubeCache.Configuration.OptionParsers;

namespace KubeCache.Router.Options;

/// <summary>The router's flags and KVCACHE_* variables; --help and the README table come from here.</summary>
public static class RouterOptionTable
{
    public static OptionTable<RouterOptions> Table { get; } = new("KubeCache.Router",
    [
        new("--http-port", "7171", "port", "HTTP API port; RESP is also accepted here (first byte `*`). 0 turns plain HTTP off when --tls-http-port is set.", (o, v) => o.HttpPort = Int(v, "--http-port")),
        new("--resp-port", "6379", "port", "RESP (Redis protocol) port; 0 disables it.", (o, v) => o.RespPort = Int(v, "--resp-port")),
        new("--bind", "0.0.0.0", "IP address", "Address both listeners bind to.", (o, v) => o.Bind = v),
        new("--ring-configmap", "none", "name", "ConfigMap whose `ring.json` key is the ring to follow through the Kubernetes API (in-cluster service account, else KUBECONFIG); exclusive with --ring-file.", (o, v) => o.RingConfigMap = v),
        new("--namespace", "the pod's namespace (service-account `namespace` file), else `default`", "name", "Namespace of --ring-configmap.", (o, v) => o.Namespace = v),
        new("--ring-file", "none", "path", "Ring document (JSON) to follow; one of --ring-configmap, --ring-file and --local-nodes is required.", (o, v) => o.RingFile = v),
        new("--ring-poll-interval", "1", "seconds (or `500ms`)", "How often the ring file is checked for changes.", (o, v) => o.RingPollInterval = Duration(v, "--ring-poll-interval")),
        new("--local-nodes", "0 (off)", "count", "Local mode: start this many nodes on free loopback ports, with a ring the router manages.", (o, v) => o.LocalNodes = Int(v, "--local-nodes")),
        new("--local-node-memory", "256mb", "bytes", "--max-memory of each local node.", (o, v) => o.LocalNodeMemoryBytes = Bytes(v, "--local-node-memory")),
        new("--local-admin-remote", "false", "true/false", "Local mode: serve the admin API (`/admin/nodes`, which starts processes) to clients on other hosts too; by default only loopback clients get it.", (o, v) => o.LocalAdminRemote = Bool(v, "--local-admin-remote")),
        new("--miss-status", "404", "HTTP status", "Status of `GET /get` for a missing key: 404, or 200.", (o, v) => o.MissStatus = Int(v, "--miss-status")),
        new("--max-body-bytes", "16777216", "bytes", "Largest HTTP request body; larger gets 413.", (o, v) => o.MaxBodyBytes = Bytes(v, "--max-body-bytes")),
        new("--resp-max-bulk-bytes", "16777216", "bytes", "Largest RESP bulk string a client may send; larger is a protocol error and closes the connection.", (o, v) => o.RespMaxBulkBytes = (int)Bytes(v, "--resp-max-bulk-bytes", int.MaxValue)),
        new("--resp-max-array-length", "1048576", "arguments", "Most arguments in one RESP command.", (o, v) => o.RespMaxArrayLength = Int(v, "--resp-max-array-length")),
        new("--resp-output-buffer-bytes", "262144", "bytes", "Unflushed RESP reply bytes per client connection before replies are flushed mid-pipeline.", (o, v) => o.RespOutputBufferBytes = (int)Bytes(v, "--resp-output-buffer-bytes", int.MaxValue)),
        .. ConnectionLimitSpecs.For<RouterOptions>(o => o.Limits),
        new("--upstream-connections", "2", "connections", "Pooled, pipelined connections to each node.", (o, v) => o.UpstreamConnections = Int(v, "--upstream-connections")),
        new("--upstream-timeout", "1", "seconds (or `500ms`)", "How long a node may stay silent while it owes a reply (counted from sending the request or from the last bytes received) before its requests fail and it is marked down; a large reply that keeps arriving is not cut off.", (o, v) => o.UpstreamTimeout = Duration(v, "--upstream-timeout")),
        new("--upstream-keepalive", "60", "seconds (or `500ms`)", "A pooled connection to a node that carried no request for this long sends a PING, so the node (--idle-timeout) does not close it.", (o, v) => o.UpstreamKeepAlive = Duration(v, "--upstream-keepalive")),
        new("--handoff-deadline", "600", "seconds (or `10m`)", "Local mode: how long a rebalance waits for nodes' handoffs before finishing anyway.", (o, v) => o.HandoffDeadline = Duration(v, "--handoff-deadline")),
        new("--shutdown-timeout", "10", "seconds", "How long SIGTERM waits for open requests before closing connections.", (o, v) => o.ShutdownTimeout = Duration(v, "--shutdown-timeout")),
        .. SecurityOptionSpecs.For<RouterOptions>(o => o.Security),
    ],
    options => options.Validate());

    public static RouterOptions Parse(IReadOnlyList<string> args, IDictionary environment) => Table.Parse(args, environment);
}
