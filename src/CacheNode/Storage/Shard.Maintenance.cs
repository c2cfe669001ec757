namespace KubeCache.CacheNode.Storage;

/// <summary>Walks over slots by position: the active expiry cycle, SCAN, and invariant checks for tests.</summary>
internal sealed partial class Shard
{
    public bool HasEntriesWithTtl => Volatile.Read(ref _entriesWithTtl) > 0;

    /// <summary>
    /// Examines up to <paramref name="slots"/> slots from <paramref name="cursor"/> (wrapping at the
    /// end) and removes the expired entries among them. Returns how many were removed.
    /// </summary>
    public int ExpireStep(ref int cursor, int slots)
    {
        lock (_lock)
        {
            if (_entriesWithTtl == 0 || _highWater == 0)
            {
                return 0;
            }

            long now = Now();
            int removed = 0;
            for (int i = 0; i < slots && i < _highWater; i++)
            {
                if (cursor >= _highWater)
                {
                    cursor = 0;
                }

                if (!At(cursor).IsFree && IsExpired(cursor, now))
                {
                    Remove(cursor);
                    _expirations++;
                    removed++;
                }

                cursor++;
            }

            CompactIfNeeded();
            return removed;
        }
    }

    /// <summary>
    /// Adds the live keys of up to <paramref name="slots"/> slots from <paramref name="start"/> to
    /// <paramref name="keys"/>; returns the next slot to visit, or -1 when the shard is done.
    /// Slots never move, so a key present for a whole scan is returned at least once.
    /// </summary>
    public int Scan(int start, int slots, List<byte[]> keys)
    {
        lock (_lock)
        {
            long now = Now();
            int slot = start;
            for (; slot < _highWater && slot - start < slots; slot++)
            {
                if (!At(slot).IsFree && !IsExpired(slot, now))
                {
                    keys.Add(KeyOf(slot).ToArray());
                }
            }

            return slot >= _highWater ? -1 : slot;
        }
    }

    /// <summary>Throws when the accounting, index or LRU list disagree with the slots (used by tests).</summary>
    internal void CheckInvariants()
    {
        lock (_lock)
        {
            long bytes = 0;
            long recordBytes = 0;
            int live = 0;
            int withTtl = 0;
            for (int slot = 0; slot < _highWater; slot++)
            {
                ref Entry entry = ref At(slot);
                if (entry.IsFree)
                {
                    continue;
                }

                live++;
                bytes += ChargeOf(slot);
                recordBytes += _arena.SizeAt(entry.Location);
                if ((KeyHasher.Hash(KeyOf(slot)) & Entry.HashMask) != entry.Hash || _arena.SlotAt(entry.Location) != slot)
                {
                    throw new InvalidOperationException($"the record of slot {slot} holds another key or names another slot");
                }

                withTtl += ExpiresAtOf(slot) != 0 ? 1 : 0;
                if (!ChainContains(entry.Hash, slot))
                {
                    throw new InvalidOperationException($"slot {slot} is not reachable from its bucket");
                }
            }

            int listed = 0;
            for (int slot = _lruHead, prev = -1; slot >= 0; prev = slot, slot = At(slot).LruNext)
            {
                if (At(slot).LruPrev != prev || ++listed > live)
                {
                    throw new InvalidOperationException("the LRU list is broken");
                }
            }

            _arena.CheckLiveBytes(recordBytes);
            Check(bytes == _usedBytes, $"used bytes {_usedBytes} != sum of live entries {bytes}");
            Check(live == _count && listed == live, $"count {_count}, live slots {live}, LRU length {listed}");
            Check(withTtl == _entriesWithTtl, $"entries with TTL {_entriesWithTtl} != {withTtl}");
            Check(_usedBytes <= _capacityBytes, $"used bytes {_usedBytes} exceed capacity {_capacityBytes}");
        }
    }

    private bool ChainContains(int hash, int target)
    {
        for (int slot = _buckets[BucketOf(hash)] - 1; slot >= 0; slot = At(slot).Next)
        {
            if (slot == target)
            {
                return true;
            }
        }

        return false;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
