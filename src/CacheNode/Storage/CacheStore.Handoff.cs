namespace KubeCache.CacheNode.Storage;

/// <summary>
/// The store as keys move between nodes: read for a handoff, stored from one (only if absent,
/// never across a flush, never at the cost of this node's own keys), and taken by a new owner.
/// </summary>
public sealed partial class CacheStore
{
    /// <summary>
    /// Reads a key for handoff: its value, kind and absolute expiry (Unix ms, 0 for none), without
    /// counting a hit or changing its LRU position.
    /// </summary>
    public StoreStatus Peek(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value, out ValueKind kind, out long expiresAtUnixMs)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Peek(key, hash, out value, out kind, out expiresAtUnixMs);
    }

    /// <summary>Removes the key only if it still holds <paramref name="expected"/> of <paramref name="kind"/>: a handed-off key rewritten meanwhile stays.</summary>
    public StoreStatus DeleteIfEquals(ReadOnlySpan<byte> key, ReadOnlySpan<byte> expected, ValueKind kind)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).DeleteIfEquals(key, hash, expected, kind);
    }

    /// <summary>
    /// Stores a key handed off in the background by its previous owner, with its absolute expiry
    /// (Unix ms, 0 for none): only if absent (a copy here is the same or newer), only if the store
    /// was not flushed since <paramref name="flushes"/> (<see cref="Flushes"/> when the copy was
    /// read), and only in free room, as the least recently used entry (see
    /// <see cref="Shard.SetFromHandoff"/>), so it never costs this node its own keys. Returns
    /// <see cref="StoreStatus.NotSet"/> when skipped, <see cref="StoreStatus.NoRoom"/> when this
    /// node cannot keep it.
    /// </summary>
    public StoreStatus SetFromHandoff(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ValueKind kind, long expiresAtUnixMs, long flushes)
    {
        StoreStatus limits = CheckLimits(key, value.Length);
        if (limits != StoreStatus.Ok)
        {
            return limits;
        }

        int hash = KeyHasher.Hash(key);
        lock (_flushLock)
        {
            return flushes == _flushes ? ShardOf(hash).SetFromHandoff(key, hash, value, kind, expiresAtUnixMs) : StoreStatus.NotSet;
        }
    }

    /// <summary>
    /// Stores a key this node took from its previous owner for a client's request, with its
    /// absolute expiry (Unix ms, 0 for none): like any write (most recently used, evicting colder
    /// entries), since a client uses it now and its previous owner no longer holds it; only if
    /// absent and not flushed since <paramref name="flushes"/>. Returns <see cref="StoreStatus.NotSet"/> when skipped.
    /// </summary>
    public StoreStatus SetTaken(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ValueKind kind, long expiresAtUnixMs, long flushes)
    {
        Expiry expiry = expiresAtUnixMs == 0 ? Expiry.Never : Expiry.At(expiresAtUnixMs);
        lock (_flushLock)
        {
            return flushes == _flushes ? Set(key, value, kind, expiry, SetCondition.IfAbsent, getPrevious: false, out _) : StoreStatus.NotSet;
        }
    }

    /// <summary>Removes the key and hands back its value, kind and absolute expiry (Unix ms, 0 for none): a key leaving for its new owner.</summary>
    public StoreStatus Take(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value, out ValueKind kind, out long expiresAtUnixMs)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Take(key, hash, out value, out kind, out expiresAtUnixMs);
    }
}
