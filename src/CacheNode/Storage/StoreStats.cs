namespace KubeCache.CacheNode.Storage;

/// <summary>The store's counters and gauges at one moment, summed over its shards.</summary>
public sealed class StoreStats
{
    public long Items { get; private set; }

    public long UsedBytes { get; private set; }

    public long CapacityBytes { get; init; }

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public long Expirations { get; private set; }

    public long CapacityEvictions { get; private set; }

    public long PressureEvictions { get; private set; }

    /// <summary>Bytes of the record pages that hold keys and values, garbage awaiting compaction included.</summary>
    public long ArenaBytes { get; private set; }

    /// <summary>Record pages compacted so far.</summary>
    public long Compactions { get; private set; }

    internal void Add(Shard shard)
    {
        ShardCounters counters = shard.Counters;
        Items += shard.Count;
        UsedBytes += shard.UsedBytes;
        Hits += counters.Hits;
        Misses += counters.Misses;
        Expirations += counters.Expirations;
        CapacityEvictions += counters.CapacityEvictions;
        PressureEvictions += counters.PressureEvictions;
        ArenaBytes += counters.ArenaBytes;
        Compactions += counters.Compactions;
    }
}
