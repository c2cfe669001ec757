using System.Diagnostics;
using System.Globalization;
using System.Text;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;

namespace KubeCache.CacheNode.Resp.Commands;

/// <summary>CLIENT, COMMAND, CONFIG GET and INFO: what tools ask before they start work.</summary>
internal sealed partial class ServerCommands
{
    private static readonly long s_startedAt = Environment.TickCount64;

    private void Client(RespSession session)
    {
        RespCommand command = session.Command;
        if (RespArguments.Is(session, 1, "SETNAME"u8) && command.Count == 3)
        {
            session.ClientName = Encoding.UTF8.GetString(command[2]);
            session.Output.Write(RespReplies.Ok);
        }
        else if (RespArguments.Is(session, 1, "GETNAME"u8) && command.Count == 2)
        {
            if (session.ClientName is null)
            {
                session.Output.Write(RespReplies.NullBulkString);
            }
            else
            {
                RespWriter.WriteBulkString(session.Output, session.ClientName);
            }
        }
        else if (RespArguments.Is(session, 1, "ID"u8) && command.Count == 2)
        {
            session.ClientId = session.ClientId != 0 ? session.ClientId : Interlocked.Increment(ref s_nextClientId);
            RespWriter.WriteInteger(session.Output, session.ClientId);
        }
        else if (RespArguments.Is(session, 1, "SETINFO"u8) && command.Count == 4)
        {
            session.Output.Write(RespReplies.Ok);
        }
        else
        {
            RespErrors.Write(session, "ERR unknown CLIENT subcommand; KubeCache supports SETNAME, GETNAME, ID and SETINFO");
        }
    }

    /// <summary>COMMAND [COUNT | DOCS | INFO …]: the count is real; documentation is not served, so DOCS is empty.</summary>
    private void Command(RespSession session)
    {
        if (session.Command.Count >= 2 && RespArguments.Is(session, 1, "COUNT"u8))
        {
            RespWriter.WriteInteger(session.Output, commands().Count);
        }
        else
        {
            session.Output.Write(RespReplies.EmptyArray);
        }
    }

    /// <summary>CONFIG GET parameter: answers the few settings clients read (redis-benchmark reads save and appendonly).</summary>
    private void Config(RespSession session)
    {
        RespCommand command = session.Command;
        if (!RespArguments.Is(session, 1, "GET"u8) || command.Count != 3)
        {
            RespErrors.Write(session, "ERR KubeCache supports CONFIG GET <parameter> only; configure nodes with flags or KVCACHE_* variables");
            return;
        }

        string name = Encoding.UTF8.GetString(command[2]).ToLowerInvariant();
        string? value = name switch
        {
            "save" => "",
            "appendonly" => "no",
            "maxmemory" => store.Options.CapacityBytes.ToString(CultureInfo.InvariantCulture),
            "maxmemory-policy" => "allkeys-lru",
            "databases" => "1",
            _ => null,
        };
        RespWriter.WriteArrayHeader(session.Output, value is null ? 0 : 2);
        if (value is not null)
        {
            RespWriter.WriteBulkString(session.Output, name);
            RespWriter.WriteBulkString(session.Output, value);
        }
    }

    /// <summary>INFO [section]: server, clients-free memory, stats and keyspace figures in Redis's layout.</summary>
    private void Info(RespSession session)
    {
        StoreStats stats = store.GetStats();
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        var text = new StringBuilder();
        text.Append("# Server\r\n")
            .Append("redis_version:").Append(CompatibleRedisVersion).Append("\r\n")
            .Append("kubecache_version:").Append(typeof(ServerCommands).Assembly.GetName().Version).Append("\r\n")
            .Append("redis_mode:standalone\r\n")
            .Append("process_id:").Append(Environment.ProcessId).Append("\r\n")
            .Append("uptime_in_seconds:").Append((Environment.TickCount64 - s_startedAt) / 1000).Append("\r\n")
            .Append("\r\n# Memory\r\n")
            .Append("used_memory:").Append(stats.UsedBytes).Append("\r\n")
            .Append("used_memory_rss:").Append(Process.GetCurrentProcess().WorkingSet64).Append("\r\n")
            .Append("maxmemory:").Append(stats.CapacityBytes).Append("\r\n")
            .Append("kubecache_page_bytes:").Append(stats.ArenaBytes).Append("\r\n")
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

        RespWriter.WriteBulkString(session.Output, text.ToString());
    }
}
