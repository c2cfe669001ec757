using System.Collections;
using System.Globalization;
using KubeCache.Configuration;
using KubeCache.Hosting.Options;
using static KubeCache.Configuration.OptionParsers;

namespace KubeCache.CacheNode.Options;

/// <summary>
/// The node's options as data: parsing of flags and KVCACHE_* variables (flags win), --help, and
/// the README's configuration table all come from <see cref="Specs"/>.
/// </summary>
public static class NodeOptionTable
{
    public static OptionTable<NodeOptions> Table { get; } = new("KubeCache.CacheNode",
    [
        .. ServerOptionSpecs.Listeners<NodeOptions>(),
        ServerOptionSpecs.IoThreads<NodeOptions>("1"),
        new("--max-memory", "70% of the cgroup memory limit (at most what the GC heap holds, see --memory-reserve), else of physical memory", "bytes (`64mb`, `2gb`; k/m/g = 1000, kb/mb/gb = 1024)", "Byte budget for keys + values + 48 bytes per entry; least recently used entries are evicted beyond it. In a container, a budget above 7/8 of (limit − --memory-reserve − --memory-headroom) is refused at start-up.", (o, v) => o.MaxMemoryBytes = Bytes(v, "--max-memory")),
        new("--memory-reserve", "64mb", "bytes", "Part of the cgroup memory limit kept outside the GC heap (runtime, JIT code, thread stacks); the heap, where entries live, gets its hard limit from the rest.", (o, v) => o.MemoryReserveBytes = Bytes(v, "--memory-reserve")),
        new("--memory-headroom", "64mb", "bytes", "Part of the GC heap kept from entries for the work of serving them (request and connection buffers, replies, compaction, the GC's own free space), so a full cache never fails a request for lack of memory.", (o, v) => o.MemoryHeadroomBytes = Bytes(v, "--memory-headroom")),
        new("--shards", "largest power of two ≤ 64 that keeps 8 largest entries per shard", "count", "Independent store partitions, each with its own lock and LRU.", (o, v) => o.Shards = Int(v, "--shards")),
        new("--max-key-bytes", EntryLimits.DefaultMaxKeyBytes.ToString(CultureInfo.InvariantCulture), "bytes", "Longest key accepted.", (o, v) => o.MaxKeyBytes = (int)Bytes(v, "--max-key-bytes", int.MaxValue)),
        new("--max-value-bytes", EntryLimits.DefaultMaxValueBytes.ToString(CultureInfo.InvariantCulture), "bytes", "Longest value accepted.", (o, v) => o.MaxValueBytes = (int)Bytes(v, "--max-value-bytes", int.MaxValue)),
        new("--default-ttl", "0 (none)", "seconds (or `500ms`, `30s`, `5m`, `2h`)", "TTL given to writes that set none.", (o, v) => o.DefaultTtl = Ttl(v)),
        .. ServerOptionSpecs.Requests<NodeOptions>(),
        new("--node-name", "the host name", "name", "This node's name in the ring (a StatefulSet pod's name).", (o, v) => o.NodeName = v),
        .. ServerOptionSpecs.Ring<NodeOptions>("none (the node runs alone)", "Ring document (JSON) to follow; re-read when it changes, and keys this node no longer owns are handed to their new owner."),
        new("--handoff-batch-keys", "500", "keys", "Most keys per batch sent to a new owner during a handoff.", (o, v) => o.HandoffBatchKeys = Int(v, "--handoff-batch-keys")),
        new("--handoff-batch-bytes", "4194304", "bytes", "Most bytes per batch sent to a new owner during a handoff (keys, values and framing); a larger entry goes alone.", (o, v) => o.HandoffBatchBytes = Bytes(v, "--handoff-batch-bytes")),
        new("--prestop-timeout", "110", "seconds (or `2m`)", "How long `GET /cluster/prestop` (the pod's preStop hook) waits for a handoff in progress to finish.", (o, v) => o.PrestopTimeout = Duration(v, "--prestop-timeout")),
        new("--previous-owner-wait", "1", "seconds (or `500ms`)", "How long a command waits for a newer ring when its key's previous owner cannot be reached (a rebalance finished at its deadline stops that owner) before it is answered -TRYAGAIN; 0 answers at once.", (o, v) => o.PreviousOwnerWait = Duration(v, "--previous-owner-wait")),
        new("--prestop-leave-timeout", "15", "seconds (or `2m`)", "How long `GET /cluster/prestop` waits, while this node is still a ring member, for the operator to publish a ring without it (so its keys hand off before it stops).", (o, v) => o.PrestopLeaveTimeout = Duration(v, "--prestop-leave-timeout")),
        .. ServerOptionSpecs.ShutdownAndSecurity<NodeOptions>(),
    ],
    options => options.Validate());

    public static IReadOnlyList<OptionSpec<NodeOptions>> Specs => Table.Specs;

    /// <summary>Builds validated options from flags (<c>--flag value</c> or <c>--flag=value</c>) over environment variables.</summary>
    public static NodeOptions Parse(IReadOnlyList<string> args, IDictionary environment) => Table.Parse(args, environment);

    public static string Help() => Table.Help();

    private static TimeSpan? Ttl(string value)
    {
        TimeSpan ttl = Duration(value, "--default-ttl");
        return ttl == TimeSpan.Zero ? null : ttl;
    }
}
