namespace KubeCache.CacheNode.Storage;

/// <summary>
/// The shard's hash index: entries live in one growing array of slots and are chained per
/// bucket by slot number, so the index costs no object per entry. Slots never move, which is
/// what lets SCAN and the expiry cycle walk them by position.
/// </summary>
internal sealed partial class Shard
{
    private const int InitialSlots = 16;

    private Entry[] _entries;

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
            if (entry.Hash == hash && entry.Key.SequenceEqual(key))
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

    private int Insert(int hash, byte[] data, int keyLength, long expiresAt)
    {
        int slot = AllocateSlot();
        ref Entry entry = ref _entries[slot];
        entry.SetData(data, keyLength);
        entry.ExpiresAt = expiresAt;
        entry.Hash = hash;
        int bucket = BucketOf(hash);
        entry.Next = _buckets[bucket] - 1;
        _buckets[bucket] = slot + 1;
        LinkAtFront(slot);

        _count++;
        _usedBytes += SizeOf(data.Length);
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

    /// <summary>Gives an existing entry new data and expiry and marks it most recently used.</summary>
    private void Replace(int slot, byte[] data, long expiresAt)
    {
        ref Entry entry = ref _entries[slot];
        _usedBytes += SizeOf(data.Length) - SizeOf(entry.Data!.Length);
        _entriesWithTtl += (expiresAt != 0 ? 1 : 0) - (entry.ExpiresAt != 0 ? 1 : 0);
        entry.SetData(data, entry.KeyLength);
        entry.ExpiresAt = expiresAt;
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
        _usedBytes -= SizeOf(entry.Data!.Length);
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

    private void GrowBuckets()
    {
        _buckets = new int[_buckets.Length * 2];
        for (int slot = 0; slot < _highWater; slot++)
        {
            ref Entry entry = ref _entries[slot];
            if (entry.Data is null)
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
