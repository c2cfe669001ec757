namespace KubeCache.CacheNode.Storage;

/// <summary>
/// The shard's hash index: entries live in one growing array of slots and are chained per
/// bucket by slot number, so the index costs no object per entry. Slots never move, which is
/// what lets SCAN and the expiry cycle walk them by position; records in the arena do move,
/// when it compacts, and their slot follows.
/// </summary>
internal sealed partial class Shard
{
    private const int InitialSlots = 16;

    private Entry[] _entries;
    private RecordArena _arena = new();

    /// <summary>Head slot of each bucket's chain, plus one; 0 marks an empty bucket.</summary>
    private int[] _buckets;

    /// <summary>Slots below this index have been handed out at least once.</summary>
    private int _highWater;

    private int _freeList = -1;
    private int _count;
    private long _usedBytes;
    private int _entriesWithTtl;

    private int BucketOf(int hash) => hash & (_buckets.Length - 1);

    /// <summary>Finds the key's slot; an expired entry found on the way is removed and counted.</summary>
    private int FindLive(ReadOnlySpan<byte> key, int hash)
    {
        int slot = _buckets[BucketOf(hash)] - 1;
        while (slot >= 0)
        {
            ref Entry entry = ref _entries[slot];
            if (entry.Hash == hash && entry.KeyLength == key.Length && _arena.Key(entry.Location, key.Length).SequenceEqual(key))
            {
                if (entry.ExpiresAt != 0 && entry.ExpiresAt <= Now())
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

    private ReadOnlySpan<byte> KeyOf(int slot) => _arena.Key(_entries[slot].Location, _entries[slot].KeyLength);

    private ReadOnlyMemory<byte> ValueOf(int slot) => _arena.Value(_entries[slot].Location, _entries[slot].KeyLength);

    private long ChargeOf(int slot) => _arena.SizeAt(_entries[slot].Location) - RecordArena.HeaderBytes + StoreOptions.EntryOverheadBytes;

    /// <summary>
    /// Stores key → head + tail, a value of <paramref name="kind"/>, as a new entry (<paramref name="slot"/> &lt; 0)
    /// or over the entry in <paramref name="slot"/>, evicting first so the byte budget holds at every instant.
    /// </summary>
    private void Write(int slot, ReadOnlySpan<byte> key, int hash, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long expiresAt, ValueKind kind)
    {
        long charge = ChargeOf(key.Length, head.Length + tail.Length);
        if (slot >= 0)
        {
            MakeRoom(charge - ChargeOf(slot), keep: slot);
            Replace(slot, key, head, tail, expiresAt, kind);
        }
        else
        {
            MakeRoom(charge, keep: -1);
            LinkAtFront(Insert(hash, key, head, tail, expiresAt, kind));
        }

        CompactIfNeeded();
    }

    /// <summary>Adds a new entry and returns its slot, which the caller links into the LRU order.</summary>
    private int Insert(int hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long expiresAt, ValueKind kind)
    {
        int slot = AllocateSlot();
        ref Entry entry = ref _entries[slot];
        entry.Set(_arena.Append(slot, key, head, tail), key.Length, kind);
        entry.ExpiresAt = expiresAt;
        entry.Hash = hash;
        int bucket = BucketOf(hash);
        entry.Next = _buckets[bucket] - 1;
        _buckets[bucket] = slot + 1;

        _count++;
        _usedBytes += ChargeOf(key.Length, head.Length + tail.Length);
        if (expiresAt != 0)
        {
            _entriesWithTtl++;
        }

        if (_count > _buckets.Length)
        {
            GrowBuckets();
        }

        return slot;
    }

    /// <summary>Gives an existing entry a new value (of <paramref name="kind"/>) and expiry and marks it most recently used.</summary>
    private void Replace(int slot, ReadOnlySpan<byte> key, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long expiresAt, ValueKind kind)
    {
        long oldLocation = _entries[slot].Location;
        _usedBytes += ChargeOf(key.Length, head.Length + tail.Length) - ChargeOf(slot);
        // Append before releasing: head may be the old value, and released bytes are never reused in place anyway.
        _entries[slot].Set(_arena.Append(slot, key, head, tail), key.Length, kind);
        _arena.Release(oldLocation);
        SetExpiresAt(slot, expiresAt);
        MoveToFront(slot);
    }

    private void SetExpiresAt(int slot, long expiresAt)
    {
        ref Entry entry = ref _entries[slot];
        _entriesWithTtl += (expiresAt != 0 ? 1 : 0) - (entry.ExpiresAt != 0 ? 1 : 0);
        entry.ExpiresAt = expiresAt;
    }

    private void Remove(int slot)
    {
        ref Entry entry = ref _entries[slot];
        int bucket = BucketOf(entry.Hash);
        int current = _buckets[bucket] - 1;
        if (current == slot)
        {
            _buckets[bucket] = entry.Next + 1;
        }
        else
        {
            while (_entries[current].Next != slot)
            {
                current = _entries[current].Next;
            }

            _entries[current].Next = entry.Next;
        }

        Unlink(slot);
        _count--;
        _usedBytes -= ChargeOf(slot);
        _arena.Release(entry.Location);
        if (entry.ExpiresAt != 0)
        {
            _entriesWithTtl--;
        }

        entry.Clear();
        entry.Next = _freeList;
        _freeList = slot;
    }

    private int AllocateSlot()
    {
        if (_freeList >= 0)
        {
            int free = _freeList;
            _freeList = _entries[free].Next;
            return free;
        }

        if (_highWater == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        return _highWater++;
    }

    /// <summary>Lets the arena compact a page once garbage passes its share; the moved records' slots follow them.</summary>
    private void CompactIfNeeded()
    {
        if (_arena.NeedsCompaction)
        {
            _arena.CompactOnePage(_locationOfSlot ??= slot => _entries[slot].Location, _moveSlot ??= (slot, location) => _entries[slot].Location = location);
            _compactions = _arena.Compactions;
        }

        _arenaBytes = _arena.AllocatedBytes;
    }

    private Func<int, long>? _locationOfSlot;
    private Action<int, long>? _moveSlot;

    private void GrowBuckets()
    {
        _buckets = new int[_buckets.Length * 2];
        for (int slot = 0; slot < _highWater; slot++)
        {
            ref Entry entry = ref _entries[slot];
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
            _entries = new Entry[InitialSlots];
            _buckets = new int[InitialSlots];
            _arena = new RecordArena();
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
