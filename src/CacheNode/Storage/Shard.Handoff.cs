namespace KubeCache.CacheNode.Storage;

/// <summary>
/// What handing keys over needs: reads that leave no trace, deletes that lose no newer write,
/// and a receiving write that never costs this node its own keys.
/// </summary>
internal sealed partial class Shard
{
    /// <summary>
    /// Stores a handed-off entry if the key is absent, only in free room, and at the cold end of
    /// the LRU order: the sender's recency is unknown here, so the entry counts as colder than
    /// every local one and evicts none of them. <see cref="StoreStatus.NoRoom"/> when the shard is
    /// full; <see cref="StoreStatus.NotSet"/> when the key is present or its expiry has passed.
    /// </summary>
    public StoreStatus SetFromHandoff(ReadOnlySpan<byte> key, int hash, ReadOnlySpan<byte> value, ValueKind kind, long expiresAtUnixMs)
    {
        long charge = ChargeOf(key.Length, value.Length);
        if (charge > _capacityBytes)
        {
            return StoreStatus.EntryTooLarge;
        }

        lock (_lock)
        {
            long expiresAt = expiresAtUnixMs == 0 ? 0 : ResolveExpiry(Expiry.At(expiresAtUnixMs), 0);
            if (FindLive(key, hash) >= 0 || (expiresAt != 0 && expiresAt <= Now()))
            {
                return StoreStatus.NotSet;
            }

            if (_usedBytes + charge > _capacityBytes)
            {
                return StoreStatus.NoRoom;
            }

            LinkAtBack(Insert(hash, key, value, [], expiresAt, kind, segments: null));
            CompactIfNeeded();
            return StoreStatus.Ok;
        }
    }

    /// <summary>Reads value, kind and expiry without counting a hit or touching the LRU order.</summary>
    public StoreStatus Peek(ReadOnlySpan<byte> key, int hash, out ReadOnlyMemory<byte> value, out ValueKind kind, out long expiresAtUnixMs)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            value = slot >= 0 ? ValueOf(slot) : default;
            kind = slot >= 0 ? KindOf(slot) : default;
            expiresAtUnixMs = slot >= 0 ? ExpiresAtOf(slot) : 0;
            return slot >= 0 ? StoreStatus.Ok : StoreStatus.NotFound;
        }
    }

    /// <summary>Removes the key and hands back its value, kind and expiry in one step.</summary>
    public StoreStatus Take(ReadOnlySpan<byte> key, int hash, out ReadOnlyMemory<byte> value, out ValueKind kind, out long expiresAtUnixMs)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            value = slot >= 0 ? ValueOf(slot) : default;
            kind = slot >= 0 ? KindOf(slot) : default;
            expiresAtUnixMs = slot >= 0 ? ExpiresAtOf(slot) : 0;
            if (slot < 0)
            {
                return StoreStatus.NotFound;
            }

            Remove(slot);
            CompactIfNeeded();
            return StoreStatus.Ok;
        }
    }

    /// <summary>Removes the key only while it still holds <paramref name="expected"/>, of <paramref name="kind"/>.</summary>
    public StoreStatus DeleteIfEquals(ReadOnlySpan<byte> key, int hash, ReadOnlySpan<byte> expected, ValueKind kind)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            if (slot < 0)
            {
                return StoreStatus.NotFound;
            }

            if (IsOtherKind(slot, kind) || !ValueOf(slot).Span.SequenceEqual(expected))
            {
                return StoreStatus.NotSet;
            }

            Remove(slot);
            CompactIfNeeded();
            return StoreStatus.Ok;
        }
    }
}
