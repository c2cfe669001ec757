using System.Runtime.CompilerServices;

namespace KubeCache.CacheNode.Storage;

/// <summary>
/// The shard's hash index: entries live in slots and are chained per bucket by slot number, so
/// the index costs no object per entry. Slots never move, which is what lets SCAN and the expiry
/// cycle walk them by position; records in the arena do move, when it compacts, and their slot
/// follows.
/// </summary>
/// <remarks>
/// Slots come in chunks of <see cref="ChunkSlots"/>: a table that grows adds a chunk instead of
/// copying every slot into an array twice the size, so the slots held stay within one chunk of
/// the slots used at any size (a doubled array is half empty after each growth), no growth
/// leaves a dead copy on the large object heap, and a growth costs no pause proportional to the
/// shard. Only the first chunk grows by doubling, from <see cref="InitialSlots"/>, so a shard
/// with a few keys holds a few slots.
/// </remarks>
internal sealed partial class Shard
{
    private const int InitialSlots = 16;

    /// <summary>
    /// Slots per chunk, a power of two: 512 slots of 20 bytes, 10 KiB, so the slots a shard holds
    /// beyond those it uses cost at most 10 KiB (640 KiB over 64 shards).
    /// </summary>
    private const int ChunkShift = 9;
    private const int ChunkSlots = 1 << ChunkShift;

    private Entry[][] _chunks = [new Entry[InitialSlots]];
    private RecordArena _arena;

    /// <summary>Head slot of each bucket's chain, plus one; 0 marks an empty bucket.</summary>
    private int[] _buckets;

    /// <summary>
    /// Entries per bucket past which the bucket table doubles: between 1 and 2 entries share a
    /// bucket, so the table costs 2 to 4 bytes per entry. A chain step compares the 24 bits of
    /// hash in the slot, not the key, so a longer chain costs a slot read, not a key comparison.
    /// </summary>
    private const int MaxLoadFactor = 2;

    /// <summary>Slots below this index have been handed out at least once.</summary>
    private int _highWater;

    private int _freeList = -1;
    private int _count;
    private long _usedBytes;
    private int _entriesWithTtl;

    /// <summary>Slots allocated, used or not (what the index costs is this times the slot size, plus the buckets).</summary>
    internal int SlotsHeld
    {
        get
        {
            lock (_lock)
            {
                return SlotsAllocated;
            }
        }
    }

    /// <summary>Bytes of the hash index: the slots allocated and the bucket table.</summary>
    internal long IndexBytes
    {
        get
        {
            lock (_lock)
            {
                return ((long)SlotsAllocated * Unsafe.SizeOf<Entry>()) + ((long)_buckets.Length * sizeof(int));
            }
        }
    }

    private int SlotsAllocated => _highWater <= _chunks[0].Length ? _chunks[0].Length : ((_highWater + ChunkSlots - 1) >> ChunkShift) << ChunkShift;

    /// <summary>Buckets the hash index holds (4 bytes each).</summary>
    internal int BucketsHeld
    {
        get
        {
            lock (_lock)
            {
                return _buckets.Length;
            }
        }
    }

    private ref Entry At(int slot) => ref _chunks[slot >> ChunkShift][slot & (ChunkSlots - 1)];

    private int BucketOf(int hash) => hash & (_buckets.Length - 1);

    /// <summary>Finds the key's slot; an expired entry found on the way is removed and counted.</summary>
    private int FindLive(ReadOnlySpan<byte> key, int hash)
    {
        int slot = _buckets[BucketOf(hash)] - 1;
        hash &= Entry.HashMask;
        while (slot >= 0)
        {
            ref Entry entry = ref At(slot);
            if (entry.Hash == hash && _arena.Key(entry.Location).SequenceEqual(key))
            {
                // The clock is read only for an entry with a TTL: most have none.
                long expiresAt = ExpiresAtOf(slot);
                if (expiresAt != 0 && expiresAt <= Now())
                {
                    Remove(slot);
                    _expirations++;
                    return -1;
                }

                return slot;
            }

            slot = entry.Next;
        }

        return -1;
    }

    private ReadOnlySpan<byte> KeyOf(int slot) => _arena.Key(At(slot).Location);

    private ReadOnlyMemory<byte> ValueOf(int slot) => _arena.Value(At(slot).Location);

    /// <summary>The hash or string in <paramref name="slot"/>, segmented or not, as the commands of its kind read it.</summary>
    private TValue ValueOf<TValue>(int slot)
        where TValue : struct, IStoredValue<TValue> => TValue.Of(_arena, At(slot).Location);

    private ValueKind KindOf(int slot) => _arena.Kind(At(slot).Location);

    /// <summary>The entry's absolute expiry in Unix milliseconds; 0 means it never expires.</summary>
    private long ExpiresAtOf(int slot) => _arena.ExpiresAt(At(slot).Location);

    private bool IsExpired(int slot, long now)
    {
        long expiresAt = ExpiresAtOf(slot);
        return expiresAt != 0 && expiresAt <= now;
    }

    private long ChargeOf(int slot) => ChargeOf(KeyOf(slot).Length, _arena.ValueLength(At(slot).Location));

    /// <summary>
    /// Stores key → head + tail, a value of <paramref name="kind"/>, or <paramref name="segments"/>,
    /// as a new entry (<paramref name="slot"/> &lt; 0) or over the entry in <paramref name="slot"/>,
    /// evicting first so the byte budget holds at every instant.
    /// </summary>
    private void Write(
        int slot, ReadOnlySpan<byte> key, int hash, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long expiresAt, ValueKind kind,
        SegmentedValue? segments = null)
    {
        long charge = ChargeOf(key, head, tail, segments);
        if (slot >= 0)
        {
            MakeRoom(charge - ChargeOf(slot), keep: slot);
            Replace(slot, key, head, tail, expiresAt, kind, segments);
        }
        else
        {
            MakeRoom(charge, keep: -1);
            LinkAtFront(Insert(hash, key, head, tail, expiresAt, kind, segments));
        }

        CompactIfNeeded();
    }

    /// <summary>Adds a new entry and returns its slot, which the caller links into the LRU order.</summary>
    private int Insert(int hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long expiresAt, ValueKind kind, SegmentedValue? segments)
    {
        int slot = AllocateSlot();
        ref Entry entry = ref At(slot);
        entry.Location = AppendRecord(slot, key, head, tail, kind, expiresAt, segments);
        entry.Hash = hash;
        int bucket = BucketOf(hash);
        entry.Next = _buckets[bucket] - 1;
        _buckets[bucket] = slot + 1;

        _count++;
        _usedBytes += ChargeOf(key, head, tail, segments);
        if (expiresAt != 0)
        {
            _entriesWithTtl++;
        }

        // A slot keeps Entry.HashBits of the hash, so the table stops growing at that many buckets (16.7M per shard).
        if (_count > MaxLoadFactor * _buckets.Length && _buckets.Length < 1 << Entry.HashBits)
        {
            GrowBuckets();
        }

        return slot;
    }

    /// <summary>Gives an existing entry a new value (of <paramref name="kind"/>) and expiry and marks it most recently used.</summary>
    private void Replace(int slot, ReadOnlySpan<byte> key, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long expiresAt, ValueKind kind, SegmentedValue? segments)
    {
        long oldLocation = At(slot).Location;
        _usedBytes += ChargeOf(key, head, tail, segments) - ChargeOf(slot);
        _entriesWithTtl += (expiresAt != 0 ? 1 : 0) - (ExpiresAtOf(slot) != 0 ? 1 : 0);
        // Append before releasing: head may be the old value, and released bytes are never reused in place anyway.
        long location = AppendRecord(slot, key, head, tail, kind, expiresAt, segments);
        At(slot).Location = location;
        _arena.Release(oldLocation, successor: _arena.Segments(location));
        MoveToFront(slot);
    }

    /// <summary>
    /// The record of <paramref name="slot"/>'s key → head + tail, or <paramref name="segments"/>. A
    /// hash of more than <see cref="SegmentedHash.MinBytes"/> is kept segmented however it came (a
    /// write that grew it, a handoff, COPY), so no write of it copies the whole hash. Strings are
    /// chunked only by the writes that change part of them (<see cref="StringValue.Overwritten"/>).
    /// </summary>
    private long AppendRecord(int slot, ReadOnlySpan<byte> key, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, ValueKind kind, long expiresAt, SegmentedValue? segments)
    {
        if (segments is null && kind == ValueKind.Hash && head.Length + tail.Length > SegmentedHash.MinBytes)
        {
            segments = SegmentedHash.Of(head, tail);
        }

        return segments is null ? _arena.Append(slot, key, head, tail, kind, expiresAt) : _arena.Append(slot, key, [], [], kind, expiresAt, segments);
    }

    /// <summary>Gives the entry another expiry: in place when its record has an expiry field, else in a copy of the record that has one.</summary>
    private void SetExpiresAt(int slot, long expiresAt)
    {
        ref Entry entry = ref At(slot);
        _entriesWithTtl += (expiresAt != 0 ? 1 : 0) - (ExpiresAtOf(slot) != 0 ? 1 : 0);
        if (!_arena.TrySetExpiresAt(entry.Location, expiresAt))
        {
            entry.Location = _arena.Rewrite(entry.Location, expiresAt);
            CompactIfNeeded();
        }
    }

    private void Remove(int slot)
    {
        ref Entry entry = ref At(slot);
        int bucket = BucketOf(entry.Hash);
        int current = _buckets[bucket] - 1;
        if (current == slot)
        {
            _buckets[bucket] = entry.Next + 1;
        }
        else
        {
            while (At(current).Next != slot)
            {
                current = At(current).Next;
            }

            At(current).Next = entry.Next;
        }

        Unlink(slot);
        _count--;
        _usedBytes -= ChargeOf(slot);
        if (ExpiresAtOf(slot) != 0)
        {
            _entriesWithTtl--;
        }

        _arena.Release(entry.Location);

        entry.Clear();
        entry.Next = _freeList;
        _freeList = slot;
    }

    private int AllocateSlot()
    {
        if (_freeList >= 0)
        {
            int free = _freeList;
            _freeList = At(free).Next;
            return free;
        }

        if ((_highWater & (ChunkSlots - 1)) == 0 && _highWater > 0)
        {
            AddChunk();
        }
        else if (_highWater == _chunks[0].Length)
        {
            Array.Resize(ref _chunks[0], _highWater * 2);
        }

        return _highWater++;
    }

    private void AddChunk()
    {
        int chunk = _highWater >> ChunkShift;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, chunk * 2);
        }

        _chunks[chunk] = new Entry[ChunkSlots];
    }

    /// <summary>Lets the arena compact a page once garbage passes its share; the moved records' slots follow them.</summary>
    private void CompactIfNeeded()
    {
        if (_arena.NeedsCompaction)
        {
            _arena.CompactOnePage(_pointsAt ??= (slot, location) => At(slot).Location == location, _moveSlot ??= (slot, location) => At(slot).Location = location);
            _compactions = _arena.Compactions;
        }

        _arenaBytes = _arena.HeldBytes;
    }

    private RecordArena.PointsAt? _pointsAt;
    private Action<int, long>? _moveSlot;

    private void GrowBuckets()
    {
        _buckets = new int[_buckets.Length * 2];
        for (int slot = 0; slot < _highWater; slot++)
        {
            ref Entry entry = ref At(slot);
            if (entry.IsFree)
            {
                continue;
            }

            int bucket = BucketOf(entry.Hash);
            entry.Next = _buckets[bucket] - 1;
            _buckets[bucket] = slot + 1;
        }
    }

    /// <summary>Drops every entry and returns the tables to their initial size (FLUSHALL).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _chunks = [new Entry[InitialSlots]];
            _buckets = new int[InitialSlots];
            _reclaimer.Dropped(_arena.HeldBytes);
            _arena = new RecordArena(_reclaimer);
            _arenaBytes = 0;
            _highWater = 0;
            _freeList = -1;
            _count = 0;
            _usedBytes = 0;
            _entriesWithTtl = 0;
            _lruHead = -1;
            _lruTail = -1;
        }
    }
}
