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

    /// <summary>Reads a string; <see cref="StoreStatus.WrongType"/> when the key holds a hash.</summary>
    public StoreStatus Get(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value) => Get(key, ValueKind.String, out value);

    /// <summary>Reads a value of <paramref name="kind"/> (a hash's encoded field list, see <see cref="Resp.Commands.HashFields"/>).</summary>
    public StoreStatus Get(ReadOnlySpan<byte> key, ValueKind kind, out ReadOnlyMemory<byte> value)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Get(key, hash, kind, out value);
    }

    public bool Exists(ReadOnlySpan<byte> key)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Exists(key, hash);
    }

    /// <summary>Writes a string over whatever the key holds (SET replaces a hash too, as in Redis).</summary>
    public StoreStatus Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, Expiry expiry = default, SetCondition condition = SetCondition.Always) =>
        Set(key, value, ValueKind.String, expiry, condition, getPrevious: false, out _);

    /// <summary>
    /// Writes the string; <paramref name="previous"/> is the string it replaced, or null (SET … GET, GETSET).
    /// A key holding a hash is left alone: <see cref="StoreStatus.WrongType"/>.
    /// </summary>
    public StoreStatus Set(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, Expiry expiry, SetCondition condition, out ReadOnlyMemory<byte>? previous) =>
        Set(key, value, ValueKind.String, expiry, condition, getPrevious: true, out previous);

    private StoreStatus Set(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ValueKind kind, Expiry expiry, SetCondition condition, bool getPrevious,
        out ReadOnlyMemory<byte>? previous)
    {
        previous = null;
        StoreStatus limits = CheckLimits(key, value.Length);
        if (limits != StoreStatus.Ok)
        {
            return limits;
        }

        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Set(key, hash, value, kind, expiry, condition, getPrevious, out previous);
    }

    /// <summary>Removes the key, whatever it holds (DEL).</summary>
    public StoreStatus Delete(ReadOnlySpan<byte> key)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Delete(key, hash, kind: null, out _);
    }

    /// <summary>Removes a string key and hands back the value it had (GETDEL); a hash stays (<see cref="StoreStatus.WrongType"/>).</summary>
    public StoreStatus Delete(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Delete(key, hash, ValueKind.String, out value);
    }

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

    /// <summary>Sets the key's expiry when <paramref name="condition"/> holds; <see cref="StoreStatus.NotSet"/> when it does not.</summary>
    public StoreStatus SetExpiry(ReadOnlySpan<byte> key, Expiry expiry, ExpiryCondition condition = ExpiryCondition.Always)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).SetExpiry(key, hash, expiry, condition);
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

    /// <summary>
    /// Replaces the key's value, of <paramref name="kind"/>, with what <paramref name="edit"/> makes of
    /// it, atomically, keeping its TTL (a new key gets the default one); the replacement is held to the
    /// value and entry limits (a hash's encoded size counts as its value). A key of the other kind is
    /// left alone: <see cref="StoreStatus.WrongType"/>.
    /// </summary>
    public StoreStatus Edit<TState>(ReadOnlySpan<byte> key, ValueKind kind, ref TState state, ValueEdit<TState> edit)
        where TState : allows ref struct
    {
        StoreStatus limits = CheckLimits(key, 0);
        if (limits != StoreStatus.Ok)
        {
            return limits;
        }

        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Edit(key, hash, kind, ref state, edit);
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

    /// <summary>
    /// Holds the locks of the shards of <paramref name="keys"/> (of every shard when null) until the
    /// result is disposed, on this thread: the store calls of a transaction then run as one unit.
    /// </summary>
    public ShardLocks LockShards(IEnumerable<byte[]>? keys)
    {
        if (keys is null)
        {
            return new ShardLocks([.. _shards.Select(s => s.Lock)]);
        }

        var indexes = new SortedSet<int>();
        foreach (byte[] key in keys)
        {
            indexes.Add(IndexOf(KeyHasher.Hash(key)));
        }

        return new ShardLocks([.. indexes.Select(i => _shards[i].Lock)]);
    }

    /// <summary>
    /// Moves (RENAME) or copies (COPY) the source's value, kind and TTL to the destination, atomically.
    /// <see cref="StoreStatus.NotFound"/> when the source is missing; <see cref="StoreStatus.NotSet"/>
    /// when <paramref name="replace"/> is false and the destination exists. Renaming a key to itself
    /// changes nothing.
    /// </summary>
    public StoreStatus Transfer(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, bool replace, bool keepSource)
    {
        StoreStatus limits = CheckLimits(destination, 0);
        if (limits != StoreStatus.Ok)
        {
            return limits;
        }

        using ShardLocks locks = LockShards([source.ToArray(), destination.ToArray()]);
        if (Peek(source, out ReadOnlyMemory<byte> value, out ValueKind kind, out long expiresAt) != StoreStatus.Ok)
        {
            return StoreStatus.NotFound;
        }

        if (source.SequenceEqual(destination))
        {
            return replace ? StoreStatus.Ok : StoreStatus.NotSet;
        }

        Expiry expiry = expiresAt == 0 ? Expiry.Never : Expiry.At(expiresAt);
        StoreStatus status = Set(destination, value.Span, kind, expiry, replace ? SetCondition.Always : SetCondition.IfAbsent, getPrevious: false, out _);
        if (status == StoreStatus.Ok && !keepSource)
        {
            Delete(source);
        }

        return status;
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
    private Shard ShardOf(int hash) => _shards[IndexOf(hash)];

    private int IndexOf(int hash) => (int)(((ulong)(uint)hash * (ulong)_shards.Length) >> 32);
}
