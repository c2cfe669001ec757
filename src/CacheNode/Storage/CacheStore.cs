namespace KubeCache.CacheNode.Storage;

/// <summary>
/// The node's key-value store: a fixed set of <see cref="Shard"/>s, each guarding its own part
/// of the key space. Keys and values are binary-safe byte strings; values handed out are never
/// mutated afterwards, so callers may read them after the call returns.
/// </summary>
public sealed class CacheStore
{
    private readonly Shard[] _shards;
    private readonly Lock _flushLock = new();
    private long _flushes;

    public CacheStore(StoreOptions options, TimeProvider? time = null)
    {
        options.Validate();
        Options = options;
        Time = time ?? TimeProvider.System;
        _shards = new Shard[options.ShardCount];
        for (int i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new Shard(options, Time);
        }
    }

    public StoreOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>
    /// How many times the store was emptied (FLUSHALL). A key taken from its previous owner is
    /// stored only if no flush came between the take and the store, so a flush stays final.
    /// </summary>
    public long Flushes => Volatile.Read(ref _flushes);

    internal IReadOnlyList<Shard> Shards => _shards;

    /// <summary>Live entries (entries that expired but were not yet reclaimed may be counted).</summary>
    public long Count
    {
        get
        {
            long count = 0;
            foreach (Shard shard in _shards)
            {
                count += shard.Count;
            }

            return count;
        }
    }

    public StoreStatus Get(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Get(key, hash, out value);
    }

    public bool Exists(ReadOnlySpan<byte> key)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Exists(key, hash);
    }

    public StoreStatus Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, Expiry expiry = default, SetCondition condition = SetCondition.Always) =>
        Set(key, value, expiry, condition, out _);

    /// <summary>Writes the value; <paramref name="previous"/> is the value it replaced, or null (SET … GET).</summary>
    public StoreStatus Set(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, Expiry expiry, SetCondition condition, out ReadOnlyMemory<byte>? previous)
    {
        previous = null;
        StoreStatus limits = CheckLimits(key, value.Length);
        if (limits != StoreStatus.Ok)
        {
            return limits;
        }

        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Set(key, hash, value, expiry, condition, out previous);
    }

    public StoreStatus Delete(ReadOnlySpan<byte> key) => Delete(key, out _);

    /// <summary>Removes the key and hands back the value it had (GETDEL).</summary>
    public StoreStatus Delete(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Delete(key, hash, out value);
    }

    /// <summary>
    /// Reads a key for handoff: its value and absolute expiry (Unix ms, 0 for none), without
    /// counting a hit or changing its LRU position.
    /// </summary>
    public StoreStatus Peek(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value, out long expiresAtUnixMs)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Peek(key, hash, out value, out expiresAtUnixMs);
    }

    /// <summary>Removes the key only if it still holds <paramref name="expected"/>: a handed-off key rewritten meanwhile stays.</summary>
    public StoreStatus DeleteIfEquals(ReadOnlySpan<byte> key, ReadOnlySpan<byte> expected)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).DeleteIfEquals(key, hash, expected);
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
    public StoreStatus SetFromHandoff(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expiresAtUnixMs, long flushes)
    {
        StoreStatus limits = CheckLimits(key, value.Length);
        if (limits != StoreStatus.Ok)
        {
            return limits;
        }

        int hash = KeyHasher.Hash(key);
        lock (_flushLock)
        {
            return flushes == _flushes ? ShardOf(hash).SetFromHandoff(key, hash, value, expiresAtUnixMs) : StoreStatus.NotSet;
        }
    }

    /// <summary>
    /// Stores a key this node took from its previous owner for a client's request, with its
    /// absolute expiry (Unix ms, 0 for none): like any write (most recently used, evicting colder
    /// entries), since a client uses it now and its previous owner no longer holds it; only if
    /// absent and not flushed since <paramref name="flushes"/>. Returns <see cref="StoreStatus.NotSet"/> when skipped.
    /// </summary>
    public StoreStatus SetTaken(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expiresAtUnixMs, long flushes)
    {
        Expiry expiry = expiresAtUnixMs == 0 ? Expiry.Never : Expiry.At(expiresAtUnixMs);
        lock (_flushLock)
        {
            return flushes == _flushes ? Set(key, value, expiry, SetCondition.IfAbsent, out _) : StoreStatus.NotSet;
        }
    }

    /// <summary>Removes the key and hands back its value and absolute expiry (Unix ms, 0 for none): a key leaving for its new owner.</summary>
    public StoreStatus Take(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value, out long expiresAtUnixMs)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Take(key, hash, out value, out expiresAtUnixMs);
    }

    public StoreStatus SetExpiry(ReadOnlySpan<byte> key, Expiry expiry)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).SetExpiry(key, hash, expiry);
    }

    public StoreStatus Persist(ReadOnlySpan<byte> key)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Persist(key, hash);
    }

    public StoreStatus GetAndSetExpiry(ReadOnlySpan<byte> key, Expiry expiry, out ReadOnlyMemory<byte> value)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).GetAndSetExpiry(key, hash, expiry, out value);
    }

    /// <summary>Remaining TTL in milliseconds, -1 for a key that never expires.</summary>
    public StoreStatus TimeToLive(ReadOnlySpan<byte> key, out long milliseconds)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).TimeToLive(key, hash, out milliseconds);
    }

    public StoreStatus IncrementBy(ReadOnlySpan<byte> key, long delta, out long result)
    {
        result = 0;
        StoreStatus limits = CheckLimits(key, 0);
        if (limits != StoreStatus.Ok)
        {
            return limits;
        }

        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).IncrementBy(key, hash, delta, out result);
    }

    public StoreStatus Append(ReadOnlySpan<byte> key, ReadOnlySpan<byte> suffix, out long length)
    {
        length = 0;
        StoreStatus limits = CheckLimits(key, suffix.Length);
        if (limits != StoreStatus.Ok)
        {
            return limits;
        }

        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Append(key, hash, suffix, out length);
    }

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

    /// <summary>Removes every entry (FLUSHALL).</summary>
    public void Clear()
    {
        lock (_flushLock)
        {
            _flushes++;
            foreach (Shard shard in _shards)
            {
                shard.Clear();
            }
        }
    }

    public StoreStats GetStats()
    {
        var stats = new StoreStats { CapacityBytes = Options.CapacityBytes };
        foreach (Shard shard in _shards)
        {
            stats.Add(shard);
        }

        return stats;
    }

    internal void CheckInvariants()
    {
        foreach (Shard shard in _shards)
        {
            shard.CheckInvariants();
        }
    }

    private StoreStatus CheckLimits(ReadOnlySpan<byte> key, int valueLength) =>
        key.Length > Options.MaxKeyBytes ? StoreStatus.KeyTooLarge
        : valueLength > Options.MaxValueBytes ? StoreStatus.ValueTooLarge
        : StoreStatus.Ok;

    /// <summary>Maps the hash onto a shard by multiplication, using the bits the bucket index does not.</summary>
    private Shard ShardOf(int hash) => _shards[(int)(((ulong)(uint)hash * (ulong)_shards.Length) >> 32)];
}
