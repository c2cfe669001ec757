using System.Diagnostics;
using System.Globalization;
using System.Text;
using KubeCache.CacheNode.Storage;
using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>CONFIG GET and INFO: what tools ask before they start work.</summary>
internal sealed partial class ServerCommands
{
    /// <summary>CONFIG GET parameter, with the node's maxmemory.</summary>
    private void Config(RespSession session) => Reply(session, ConnectionCommands.Config(
        session.Command, "nodes", name => name == "maxmemory" ? store.Options.CapacityBytes.ToString(CultureInfo.InvariantCulture) : null));

    /// <summary>INFO [section]: server, clients-free memory, stats and keyspace figures in Redis's layout.</summary>
    private void Info(RespSession session)
    {
        StoreStats stats = store.GetStats();
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        var text = new StringBuilder();
        text.AppendServerSection(typeof(ServerCommands).Assembly)
            .Append("\r\n# Memory\r\n")
            .Append("used_memory:").Append(stats.UsedBytes).Append("\r\n")
            .Append("used_memory_rss:").Append(Process.GetCurrentProcess().WorkingSet64).Append("\r\n")
            .Append("maxmemory:").Append(stats.CapacityBytes).Append("\r\n")
            .Append("kubecache_page_bytes:").Append(stats.ArenaBytes).Append("\r\n")
            .Append("kubecache_index_bytes:").Append(store.IndexBytes()).Append("\r\n")
            .Append("gc_heap_bytes:").Append(gc.HeapSizeBytes).Append("\r\n")
            .Append("gc_committed_bytes:").Append(gc.TotalCommittedBytes).Append("\r\n")
            .Append("gc_fragmented_bytes:").Append(gc.FragmentedBytes).Append("\r\n")
            .Append("maxmemory_policy:allkeys-lru\r\n")
            .Append("\r\n# Stats\r\n")
            .Append("keyspace_hits:").Append(stats.Hits).Append("\r\n")
            .Append("keyspace_misses:").Append(stats.Misses).Append("\r\n")
            .Append("expired_keys:").Append(stats.Expirations).Append("\r\n")
            .Append("evicted_keys:").Append(stats.CapacityEvictions + stats.PressureEvictions).Append("\r\n")
            .Append("\r\n# Keyspace\r\n");
        if (stats.Items > 0)
        {
            text.Append("db0:keys=").Append(stats.Items).Append(",expires=0,avg_ttl=0\r\n");
        }

        RespWriter.WriteVerbatimString(session.Output, text.ToString(), session.Protocol);
    }
}
