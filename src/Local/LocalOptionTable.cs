using System.Collections;
using KubeCache.Configuration;
using KubeCache.Router.Options;
using static KubeCache.Configuration.OptionParsers;

namespace KubeCache.Local;

/// <summary>Local mode's flags: the router's, then the local nodes'; --help and the README table come from here.</summary>
public static class LocalOptionTable
{
    public static OptionTable<LocalOptions> Table { get; } = new("KubeCache.Local",
    [
        new("--local-nodes", "3", "count", "Nodes to start on free loopback ports, with a ring the router manages (1 to 64).", (o, v) => o.LocalNodes = Int(v, "--local-nodes")),
        new("--local-node-memory", "256mb", "bytes", "--max-memory of each local node.", (o, v) => o.LocalNodeMemoryBytes = Bytes(v, "--local-node-memory")),
        new("--local-admin-remote", "false", "true/false", "Serve the admin API (`/admin/nodes`, which starts processes) to clients on other hosts too; by default only loopback clients get it.", (o, v) => o.LocalAdminRemote = Bool(v, "--local-admin-remote")),
        new("--handoff-deadline", "600", "seconds (or `10m`)", "How long a rebalance waits for the nodes' handoffs before finishing anyway (as the operator's flag).", (o, v) => o.HandoffDeadline = Duration(v, "--handoff-deadline")),
        .. RouterOptionTable.Specs<LocalOptions>(),
    ],
    options => options.Validate());

    public static LocalOptions Parse(IReadOnlyList<string> args, IDictionary environment) => Table.Parse(args, environment);
}
