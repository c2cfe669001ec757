namespace KubeCache.CacheNode.Storage;

/// <summary>
/// The node's key-value store: a fixed set of <see cref="Shard"/>s, each guarding its own part
/// of the key space. Keys and values are binary-safe byte strings; values handed out are never
/// mutated afterwards, so callers may read them after the call returns.
/// </summary>
public sealed partial class CacheStore
{
    private readonly Shard[] _shards;
    private readonly Lock _flushLock = new();
    private long _flushes;

    public CacheStore(StoreOptions options, TimeProvider? time = null)
    {
        options.Validate();
        Options = options;
        Time = time ?? TimeProvider.System;
        Reclaimer = new PageReclaimer(options.ReclaimAfterDroppedBytes);
        _shards = new Shard[options.ShardCount];
        for (int i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new Shard(options, Time, Reclaimer);
        }
    }

    public StoreOptions Options { get; }

    /// <summary>Asks the GC for the pages the shards drop; the node runs its loop beside the expiry cycle.</summary>
    public PageReclaimer Reclaimer { get; }

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

    /// <summary>Reads a value of <paramref name="kind"/> (a hash's encoded field list, see <see cref="HashFields"/>; a segmented value's bytes are copied out).</summary>
    public StoreStatus Get(ReadOnlySpan<byte> key, ValueKind kind, out ReadOnlyMemory<byte> value)
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).Get(key, hash, kind, out value);
    }

    /// <summary>Reads a hash as the hash commands do: in place, segmented or not; <see cref="StoreStatus.WrongType"/> when the key holds a string.</summary>
    internal StoreStatus GetHash(ReadOnlySpan<byte> key, out HashValue value) => GetValue(key, out value);

    /// <summary>Reads a string as the commands that read part of it do: in place, chunked or not; <see cref="StoreStatus.WrongType"/> when the key holds a hash.</summary>
    internal StoreStatus GetString(ReadOnlySpan<byte> key, out StringValue value) => GetValue(key, out value);

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

    /// <summary>Replaces the key's hash with what <paramref name="edit"/> makes of it, as <see cref="Edit"/> does for a value of bytes.</summary>
    internal StoreStatus EditHash<TState>(ReadOnlySpan<byte> key, ref TState state, StoredEdit<HashValue, TState> edit)
        where TState : allows ref struct => EditValue(key, ref state, edit);

    /// <summary>Replaces the key's string with what <paramref name="edit"/> makes of it, as <see cref="Edit"/> does for any value of bytes.</summary>
    internal StoreStatus EditString<TState>(ReadOnlySpan<byte> key, ref TState state, StoredEdit<StringValue, TState> edit)
        where TState : allows ref struct => EditValue(key, ref state, edit);

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

    private StoreStatus GetValue<TValue>(ReadOnlySpan<byte> key, out TValue value)
        where TValue : struct, IStoredValue<TValue>
    {
        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).GetValue(key, hash, out value);
    }

    private StoreStatus EditValue<TValue, TState>(ReadOnlySpan<byte> key, ref TState state, StoredEdit<TValue, TState> edit)
        where TValue : struct, IStoredValue<TValue>
        where TState : allows ref struct
    {
        StoreStatus limits = CheckLimits(key, 0);
        if (limits != StoreStatus.Ok)
        {
            return limits;
        }

        int hash = KeyHasher.Hash(key);
        return ShardOf(hash).EditValue(key, hash, ref state, edit);
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

    /// <summary>
    /// Bytes of the shards' hash indexes (slots and bucket tables), which with the record pages
    /// (<see cref="StoreStats.ArenaBytes"/>) are all the memory entries take. Each shard's lock is
    /// taken in turn, so this is for INFO, not for metrics read on every scrape.
    /// </summary>
    public long IndexBytes()
    {
        long bytes = 0;
        foreach (Shard shard in _shards)
        {
            bytes += shard.IndexBytes;
        }

        return bytes;
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
