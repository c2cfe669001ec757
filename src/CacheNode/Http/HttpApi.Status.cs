using KubeCache.CacheNode.Storage;
using KubeCache.HttpContract;

namespace KubeCache.CacheNode.Http;

/// <summary>GET /stats: the store's figures as JSON.</summary>
public sealed partial class HttpApi
{
    private ValueTask<int> StatsAsync(HttpContext context)
    {
        StoreStats stats = _store.GetStats();
        long reads = stats.Hits + stats.Misses;
        JsonReply reply = JsonReply.Rent();
        StatsDocument.Write(reply.Writer, stats, _store.Options.ShardCount, reads == 0 ? 0 : (double)stats.Hits / reads);
        return WriteAsync(context, StatusCodes.Status200OK, reply);
    }
}

/// <summary>The /stats document.</summary>
internal static class StatsDocument
{
    public static void Write(System.Text.Json.Utf8JsonWriter writer, StoreStats stats, int shards, double hitRate)
    {
        writer.WriteStartObject();
        writer.WriteString("status"u8, "OK"u8);
        writer.WriteNumber("items"u8, stats.Items);
        writer.WriteNumber("usedBytes"u8, stats.UsedBytes);
        writer.WriteNumber("capacityBytes"u8, stats.CapacityBytes);
        writer.WriteNumber("pageBytes"u8, stats.ArenaBytes);
        writer.WriteNumber("compactions"u8, stats.Compactions);
        writer.WriteNumber("shards"u8, shards);
        writer.WriteNumber("hits"u8, stats.Hits);
        writer.WriteNumber("misses"u8, stats.Misses);
        writer.WriteNumber("hitRate"u8, Math.Round(hitRate, 4));
        writer.WriteNumber("expirations"u8, stats.Expirations);
        writer.WriteStartObject("evictions"u8);
        writer.WriteNumber("capacity"u8, stats.CapacityEvictions);
        writer.WriteNumber("memoryPressure"u8, stats.PressureEvictions);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
