namespace KubeCache.CacheNode.Storage;

/// <summary>What handing keys to their new owner needs: reads that leave no trace, and deletes that lose no newer write.</summary>
internal sealed partial class Shard
{
    /// <summary>Reads value and expiry without counting a hit or touching the LRU order.</summary>
    public StoreStatus Peek(ReadOnlySpan<byte> key, int hash, out ReadOnlyMemory<byte> value, out long expiresAtUnixMs)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            value = slot >= 0 ? ValueOf(slot) : default;
            expiresAtUnixMs = slot >= 0 ? _entries[slot].ExpiresAt : 0;
            return slot >= 0 ? StoreStatus.Ok : StoreStatus.NotFound;
        }
    }

    /// <summary>Removes the key and hands back its value and expiry in one step.</summary>
    public StoreStatus Take(ReadOnlySpan<byte> key, int hash, out ReadOnlyMemory<byte> value, out long expiresAtUnixMs)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            value = slot >= 0 ? ValueOf(slot) : default;
            expiresAtUnixMs = slot >= 0 ? _entries[slot].ExpiresAt : 0;
            if (slot < 0)
            {
                return StoreStatus.NotFound;
            }

            Remove(slot);
            CompactIfNeeded();
            return StoreStatus.Ok;
        }
    }

    /// <summary>Removes the key only while it still holds <paramref name="expected"/>.</summary>
    public StoreStatus DeleteIfEquals(ReadOnlySpan<byte> key, int hash, ReadOnlySpan<byte> expected)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            if (slot < 0)
            {
                return StoreStatus.NotFound;
            }

            if (!ValueOf(slot).Span.SequenceEqual(expected))
            {
                return StoreStatus.NotSet;
            }

            Remove(slot);
            CompactIfNeeded();
            return StoreStatus.Ok;
        }
    }
}
