namespace KubeCache.CacheNode.Storage;

/// <summary>
/// One independent part of the store: its own lock, hash index, LRU order, byte accounting and
/// TTL bookkeeping. Every member that touches state takes <see cref="_lock"/>; the LRU order
/// changes on reads too, so there is no shared read lock to get wrong.
/// </summary>
internal sealed partial class Shard
{
    private readonly Lock _lock = new();
    private readonly long _capacityBytes;
    private readonly StoreOptions _options;
    private readonly TimeProvider _time;
    private readonly PageReclaimer _reclaimer;

    // Counters are written under the lock and read without it (64-bit reads are atomic here).
    private long _hits;
    private long _misses;
    private long _expirations;
    private long _capacityEvictions;
    private long _pressureEvictions;

    // Copies of the arena's figures, refreshed under the lock after each write, for lock-free reads.
    private long _arenaBytes;
    private long _compactions;

    public Shard(StoreOptions options, TimeProvider time, PageReclaimer reclaimer)
    {
        _options = options;
        _capacityBytes = options.ShardCapacityBytes;
        _time = time;
        _reclaimer = reclaimer;
        _arena = new RecordArena(reclaimer);
        _buckets = new int[InitialSlots];
    }

    /// <summary>The shard's lock, for <see cref="ShardLocks"/>; every member here takes it too.</summary>
    internal Lock Lock => _lock;

    public int Count => Volatile.Read(ref _count);

    public long UsedBytes => Volatile.Read(ref _usedBytes);

    public long CapacityBytes => _capacityBytes;

    public ShardCounters Counters => new(
        Volatile.Read(ref _hits),
        Volatile.Read(ref _misses),
        Volatile.Read(ref _expirations),
        Volatile.Read(ref _capacityEvictions),
        Volatile.Read(ref _pressureEvictions),
        Volatile.Read(ref _arenaBytes),
        Volatile.Read(ref _compactions));

    /// <summary>What an entry costs against the byte budget: key + value + <see cref="StoreOptions.EntryOverheadBytes"/>.</summary>
    public static long ChargeOf(int keyLength, long valueLength) => keyLength + valueLength + StoreOptions.EntryOverheadBytes;

    /// <summary>What the entry key → head + tail, or <paramref name="segments"/> when given, costs.</summary>
    private static long ChargeOf(ReadOnlySpan<byte> key, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, SegmentedValue? segments) =>
        ChargeOf(key.Length, segments?.Length ?? head.Length + tail.Length);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Looks the key up, counting a hit or a miss and marking it most recently used;
    /// <see cref="StoreStatus.WrongType"/> when it holds a value of another kind than <paramref name="kind"/>.
    /// </summary>
    public StoreStatus Get(ReadOnlySpan<byte> key, int hash, ValueKind kind, out ReadOnlyMemory<byte> value)
    {
        lock (_lock)
        {
            StoreStatus status = FindForRead(key, hash, kind, out int slot);
            value = status == StoreStatus.Ok ? ValueOf(slot) : default;
            return status;
        }
    }

    /// <summary>Looks a hash or string up as <see cref="Get"/> does, as the commands of its kind read it (a segmented one in place).</summary>
    public StoreStatus GetValue<TValue>(ReadOnlySpan<byte> key, int hash, out TValue value)
        where TValue : struct, IStoredValue<TValue>
    {
        lock (_lock)
        {
            StoreStatus status = FindForRead(key, hash, TValue.Kind, out int slot);
            value = status == StoreStatus.Ok ? ValueOf<TValue>(slot) : default;
            return status;
        }
    }

    /// <summary>Finds the key for a read of a value of <paramref name="kind"/>, counting a hit or a miss and marking it most recently used.</summary>
    private StoreStatus FindForRead(ReadOnlySpan<byte> key, int hash, ValueKind kind, out int slot)
    {
        slot = FindForRead(key, hash);
        if (slot < 0)
        {
            return StoreStatus.NotFound;
        }

        MoveToFront(slot);
        return KindOf(slot) != kind ? StoreStatus.WrongType : StoreStatus.Ok;
    }

    /// <summary>Finds the key for a read, counting a hit or a miss.</summary>
    private int FindForRead(ReadOnlySpan<byte> key, int hash)
    {
        int slot = FindLive(key, hash);
        if (slot < 0)
        {
            _misses++;
        }
        else
        {
            _hits++;
        }

        return slot;
    }

    /// <summary>Whether the key is live; touches the LRU order like a read but counts no hit.</summary>
    public bool Exists(ReadOnlySpan<byte> key, int hash)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            if (slot >= 0)
            {
                MoveToFront(slot);
            }

            return slot >= 0;
        }
    }

    /// <summary>
    /// Stores the value, of any kind over any kind, when <paramref name="condition"/> holds,
    /// evicting least recently used entries of this shard to make room. With
    /// <paramref name="getPrevious"/>, <paramref name="previous"/> is the string it replaced, if
    /// any, and a key holding another kind is left alone (<see cref="StoreStatus.WrongType"/>), as SET … GET does.
    /// </summary>
    public StoreStatus Set(
        ReadOnlySpan<byte> key, int hash, ReadOnlySpan<byte> value, ValueKind kind, Expiry expiry, SetCondition condition,
        bool getPrevious, out ReadOnlyMemory<byte>? previous)
    {
        if (ChargeOf(key.Length, value.Length) > _capacityBytes)
        {
            previous = null;
            return StoreStatus.EntryTooLarge;
        }

        lock (_lock)
        {
            int slot = FindLive(key, hash);
            previous = null;
            if (getPrevious && slot >= 0)
            {
                if (KindOf(slot) != ValueKind.String)
                {
                    return StoreStatus.WrongType;
                }

                previous = ValueOf(slot);
            }

            if ((condition == SetCondition.IfAbsent && slot >= 0) || (condition == SetCondition.IfPresent && slot < 0))
            {
                return StoreStatus.NotSet;
            }

            long expiresAt = ResolveExpiry(expiry, slot >= 0 ? ExpiresAtOf(slot) : 0);
            if (expiresAt != 0 && expiresAt <= Now())
            {
                // A TTL already in the past stores nothing and removes what was there.
                if (slot >= 0)
                {
                    Remove(slot);
                }

                return StoreStatus.Ok;
            }

            Write(slot, key, hash, value, [], expiresAt, kind);
            return StoreStatus.Ok;
        }
    }

    /// <summary>
    /// Removes the key, of any kind when <paramref name="kind"/> is null (DEL), else only a value of
    /// that kind (GETDEL); returns its value through <paramref name="value"/>.
    /// </summary>
    public StoreStatus Delete(ReadOnlySpan<byte> key, int hash, ValueKind? kind, out ReadOnlyMemory<byte> value)
    {
        lock (_lock)
        {
            int slot = FindLive(key, hash);
            value = default;
            if (slot < 0)
            {
                return StoreStatus.NotFound;
            }

            if (kind is { } expected && KindOf(slot) != expected)
            {
                return StoreStatus.WrongType;
            }

            // DEL wants no value: a segmented one is not copied out only to be dropped.
            value = kind is null ? default : ValueOf(slot);
            Remove(slot);
            CompactIfNeeded();
            return StoreStatus.Ok;
        }
    }

    /// <summary>
    /// Turns a TTL request into an absolute expiry (0 = none), given the entry's current one. The
    /// clock is read only when the request is relative: most writes carry no TTL and need no time.
    /// </summary>
    private long ResolveExpiry(Expiry expiry, long current)
    {
        long at = expiry.Kind switch
        {
            ExpiryKind.Keep => current,
            ExpiryKind.Never => 0,
            ExpiryKind.AtUnixMilliseconds => Math.Max(expiry.Value, 1),
            ExpiryKind.AfterMilliseconds => SaturatingAdd(Now(), expiry.Value),
            _ => _options.DefaultTtl is { } ttl ? SaturatingAdd(Now(), (long)ttl.TotalMilliseconds) : 0,
        };
        return Math.Min(at, RecordArena.MaxExpiresAt);
    }

    private static long SaturatingAdd(long now, long milliseconds) =>
        milliseconds > RecordArena.MaxExpiresAt - now ? RecordArena.MaxExpiresAt : Math.Max(now + milliseconds, 1);
}

/// <summary>A shard's counters at one moment.</summary>
internal readonly record struct ShardCounters(
    long Hits, long Misses, long Expirations, long CapacityEvictions, long PressureEvictions, long ArenaBytes, long Compactions);
