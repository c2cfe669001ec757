namespace KubeCache.CacheNode.Storage;

/// <summary>Walks over the whole key space: SCAN steps, every key, a random one.</summary>
public sealed partial class CacheStore
{
    /// <summary>
    /// Every key, walked in SCAN steps of <paramref name="step"/> slots, so the store stays open to
    /// other work between steps; as with SCAN, a key added or removed meanwhile may or may not be
    /// seen. The caller may delete the keys it is given.
    /// </summary>
    public IEnumerable<byte[]> Keys(int step)
    {
        var keys = new List<byte[]>();
        ulong cursor = 0;
        do
        {
            keys.Clear();
            cursor = Scan(cursor, step, keys);
            foreach (byte[] key in keys)
            {
                yield return key;
            }
        }
        while (cursor != 0);
    }

    /// <summary>
    /// One SCAN step: adds keys to <paramref name="keys"/> after visiting about <paramref name="count"/>
    /// slots, and returns the cursor to continue from (0 when the scan is complete).
    /// The cursor holds the shard in its high 32 bits and the slot in its low 32 bits.
    /// </summary>
    public ulong Scan(ulong cursor, int count, List<byte[]> keys)
    {
        int shard = (int)Math.Min(cursor >> 32, (ulong)_shards.Length);
        // The cursor comes from the client: a slot half of 2^31 or more must not become a negative index.
        int slot = (int)Math.Min((uint)cursor, (uint)int.MaxValue);
        int budget = Math.Max(count, 1);
        while (shard < _shards.Length && budget > 0)
        {
            int next = _shards[shard].Scan(slot, budget, keys);
            if (next >= 0)
            {
                return ((ulong)shard << 32) | (uint)next;
            }

            budget -= Math.Max(_shards[shard].Count, 1);
            shard++;
            slot = 0;
        }

        return shard >= _shards.Length ? 0 : (ulong)shard << 32;
    }

    /// <summary>
    /// The bytes the key's entry is charged against --max-memory (MEMORY USAGE): its key, its value
    /// and the per-entry overhead, as <see cref="StoreStats.UsedBytes"/> sums them. Leaves the LRU
    /// order alone, as Redis's MEMORY USAGE does.
    /// </summary>
    public StoreStatus UsageOf(ReadOnlySpan<byte> key, out long bytes)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).UsageOf(key, hash, out bytes);
    }

    /// <summary>A live key picked at random, or null when the store is empty (RANDOMKEY).</summary>
    public byte[]? RandomKey()
    {
        long total = Count;
        if (total == 0)
        {
            return null;
        }

        // Start at a shard chosen in proportion to its entries, so every key is about equally likely.
        long pick = Random.Shared.NextInt64(total);
        int first = 0;
        while (first < _shards.Length - 1 && pick >= _shards[first].Count)
        {
            pick -= _shards[first].Count;
            first++;
        }

        for (int i = 0; i < _shards.Length; i++)
        {
            if (_shards[(first + i) % _shards.Length].RandomKey(Random.Shared) is { } key)
            {
                return key;
            }
        }

        return null;
    }
}
