using KubeCache.Configuration;

namespace KubeCache.CacheNode.Storage;

/// <summary>Sizes and limits of a <see cref="CacheStore"/>. Each default lives here, once, but the key and value limits, which the operator shares (<see cref="EntryLimits"/>).</summary>
public sealed class StoreOptions
{
    /// <summary>
    /// Bytes charged per entry on top of its key and value, the most its index and header take:
    /// its record's head, expiry, value length and slot number (6 bytes for a key under 32 bytes
    /// and a value under 128 bytes without TTL, at most 20), its 20-byte slot and its share of the
    /// bucket table (2 to 4 bytes).
    /// </summary>
    public const int EntryOverheadBytes = 48;

    /// <summary>Total bytes (keys + values + <see cref="EntryOverheadBytes"/> per entry) the store may hold.</summary>
    public required long CapacityBytes { get; init; }

    /// <summary>Independent shards, each with its own lock; more shards mean less contention. Default 64.</summary>
    public int ShardCount { get; init; } = 64;

    /// <summary>Longest accepted key, in bytes. Default <see cref="EntryLimits.DefaultMaxKeyBytes"/> (256).</summary>
    public int MaxKeyBytes { get; init; } = EntryLimits.DefaultMaxKeyBytes;

    /// <summary>Longest accepted value, in bytes. Default <see cref="EntryLimits.DefaultMaxValueBytes"/> (1 MiB).</summary>
    public int MaxValueBytes { get; init; } = EntryLimits.DefaultMaxValueBytes;

    /// <summary>TTL for writes that give none; null (the default) means such entries never expire.</summary>
    public TimeSpan? DefaultTtl { get; init; }

    /// <summary>How often the active expiry cycle runs. Default 100 ms, as in Redis (hz 10).</summary>
    public TimeSpan ExpiryCycleInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Longest one expiry cycle may run, which bounds its CPU use to budget / interval of one core.
    /// Default 2.5 ms, i.e. at most 2.5% of a core, like Redis's 25 ms per second.
    /// </summary>
    public TimeSpan ExpiryCycleBudget { get; init; } = TimeSpan.FromMilliseconds(2.5);

    /// <summary>Slots an expiry cycle examines per shard before moving to the next. Default 256.</summary>
    public int ExpirySlotsPerStep { get; init; } = 256;

    /// <summary>
    /// Bytes of record pages dropped (compacted, freed by a large value's removal, or emptied by
    /// FLUSHALL) after which the store asks the GC for a full collection, the only kind that returns
    /// them (<see cref="PageReclaimer"/>). Default a quarter of the default --memory-headroom
    /// (16 MiB); a node uses a quarter of its own (at least 4 MiB), so pages awaiting the GC never
    /// take more than that share of it.
    /// </summary>
    public long ReclaimAfterDroppedBytes { get; init; } = MemorySizing.DefaultHeadroomBytes / 4;

    /// <summary>Capacity of one shard in bytes.</summary>
    public long ShardCapacityBytes => CapacityBytes / ShardCount;

    /// <summary>Throws with a message naming the setting when the options cannot work together.</summary>
    public void Validate()
    {
        if (ShardCount is < 1 or > 65536)
        {
            throw new ArgumentException($"shards must be between 1 and 65536 (got {ShardCount}).");
        }

        if (MaxKeyBytes < 1 || MaxKeyBytes > RecordArena.MaxKeyLength)
        {
            throw new ArgumentException($"max-key-bytes must be between 1 and {RecordArena.MaxKeyLength} (got {MaxKeyBytes}).");
        }

        if (MaxValueBytes < 0 || MaxValueBytes > Array.MaxLength - RecordArena.MaxKeyLength)
        {
            throw new ArgumentException($"max-value-bytes must be between 0 and {Array.MaxLength - RecordArena.MaxKeyLength} (got {MaxValueBytes}).");
        }

        if (ReclaimAfterDroppedBytes <= 0)
        {
            throw new ArgumentException($"the bytes of dropped pages after which a collection is asked for must be positive (got {ReclaimAfterDroppedBytes}).");
        }

        if (DefaultTtl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"default-ttl must be positive (got {ttl}).");
        }

        if (ShardCapacityBytes > RecordArena.MaxBytes)
        {
            throw new ArgumentException(
                $"max-memory / shards = {ShardCapacityBytes} bytes per shard is more than a shard holds ({RecordArena.MaxBytes} bytes): raise shards.");
        }

        long largestEntry = (long)MaxKeyBytes + MaxValueBytes + EntryOverheadBytes;
        if (ShardCapacityBytes < largestEntry)
        {
            throw new ArgumentException(
                $"max-memory / shards = {ShardCapacityBytes} bytes per shard cannot hold one entry of max-key-bytes + max-value-bytes " +
                $"({largestEntry} bytes with overhead): raise max-memory, or lower shards or max-value-bytes.");
        }
    }
}
