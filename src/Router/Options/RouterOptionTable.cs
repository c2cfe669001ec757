using System.Collections;
using KubeCache.Configuration;
using KubeCache.Hosting.Options;
using static KubeCache.Configuration.OptionParsers;

namespace KubeCache.Router.Options;

/// <summary>The router's flags and KVCACHE_* variables; --help and the README table come from here.</summary>
public static class RouterOptionTable
{
    public static OptionTable<RouterOptions> Table { get; } = new("KubeCache.Router",
    [
        .. ServerOptionSpecs.Listeners<RouterOptions>(),
        .. ServerOptionSpecs.Ring<RouterOptions>("none", "Ring document (JSON) to follow; one of --ring-configmap, --ring-file and --local-nodes is required."),
        new("--local-nodes", "0 (off)", "count", "Local mode: start this many nodes on free loopback ports, with a ring the router manages.", (o, v) => o.LocalNodes = Int(v, "--local-nodes")),
        new("--local-node-memory", "256mb", "bytes", "--max-memory of each local node.", (o, v) => o.LocalNodeMemoryBytes = Bytes(v, "--local-node-memory")),
        new("--local-admin-remote", "false", "true/false", "Local mode: serve the admin API (`/admin/nodes`, which starts processes) to clients on other hosts too; by default only loopback clients get it.", (o, v) => o.LocalAdminRemote = Bool(v, "--local-admin-remote")),
        .. ServerOptionSpecs.Requests<RouterOptions>(),
        new("--upstream-connections", "2", "connections", "Pooled, pipelined connections to each node.", (o, v) => o.UpstreamConnections = Int(v, "--upstream-connections")),
        new("--upstream-timeout", "1", "seconds (or `500ms`)", "How long a node may stay silent while it owes a reply (counted from sending the request or from the last bytes received) before its requests fail and it is marked down; a large reply that keeps arriving is not cut off.", (o, v) => o.UpstreamTimeout = Duration(v, "--upstream-timeout")),
        new("--upstream-keepalive", "60", "seconds (or `500ms`)", "A pooled connection to a node that carried no request for this long sends a PING, so the node (--idle-timeout) does not close it.", (o, v) => o.UpstreamKeepAlive = Duration(v, "--upstream-keepalive")),
        new("--handoff-deadline", "600", "seconds (or `10m`)", "Local mode: how long a rebalance waits for nodes' handoffs before finishing anyway.", (o, v) => o.HandoffDeadline = Duration(v, "--handoff-deadline")),
        .. ServerOptionSpecs.ShutdownAndSecurity<RouterOptions>(),
    ],
    options => options.Validate());

    public static RouterOptions Parse(IReadOnlyList<string> args, IDictionary environment) => Table.Parse(args, environment);
}
