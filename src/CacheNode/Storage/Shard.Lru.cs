namespace KubeCache.CacheNode.Storage;

/// <summary>
/// Exact LRU order as a doubly linked list threaded through the slots: the head is the most
/// recently used entry, the tail the next to evict.
/// </summary>
internal sealed partial class Shard
{
    private int _lruHead = -1;
    private int _lruTail = -1;

    private void LinkAtFront(int slot)
    {
        ref Entry entry = ref At(slot);
        entry.LruPrev = -1;
        entry.LruNext = _lruHead;
        if (_lruHead >= 0)
        {
            At(_lruHead).LruPrev = slot;
        }

        _lruHead = slot;
        if (_lruTail < 0)
        {
            _lruTail = slot;
        }
    }

    /// <summary>Links the slot at the tail: the next entry to evict, colder than every other.</summary>
    private void LinkAtBack(int slot)
    {
        ref Entry entry = ref At(slot);
        entry.LruNext = -1;
        entry.LruPrev = _lruTail;
        if (_lruTail >= 0)
        {
            At(_lruTail).LruNext = slot;
        }

        _lruTail = slot;
        if (_lruHead < 0)
        {
            _lruHead = slot;
        }
    }

    private void Unlink(int slot)
    {
        ref Entry entry = ref At(slot);
        if (entry.LruPrev >= 0)
        {
            At(entry.LruPrev).LruNext = entry.LruNext;
        }
        else
        {
            _lruHead = entry.LruNext;
        }

        if (entry.LruNext >= 0)
        {
            At(entry.LruNext).LruPrev = entry.LruPrev;
        }
        else
        {
            _lruTail = entry.LruPrev;
        }
    }

    private void MoveToFront(int slot)
    {
        if (slot != _lruHead)
        {
            Unlink(slot);
            LinkAtFront(slot);
        }
    }

    /// <summary>
    /// Evicts from the LRU tail until <paramref name="incoming"/> more bytes fit, before the write
    /// that needs them: UsedBytes is read without the lock, so it must be within capacity at every
    /// instant, not only when the lock is released. Never evicts <paramref name="keep"/> (the entry
    /// being rewritten, or -1), which becomes the most recently used.
    /// </summary>
    private void MakeRoom(long incoming, int keep)
    {
        if (keep >= 0)
        {
            MoveToFront(keep);
        }

        while (_usedBytes + incoming > _capacityBytes && _lruTail >= 0 && _lruTail != keep)
        {
            EvictTail(EvictionReason.Capacity);
        }
    }

    private void EvictTail(EvictionReason reason)
    {
        int slot = _lruTail;
        long expiresAt = ExpiresAtOf(slot);
        Remove(slot);
        if (expiresAt != 0 && expiresAt <= Now())
        {
            _expirations++;
        }
        else if (reason == EvictionReason.Capacity)
        {
            _capacityEvictions++;
        }
        else
        {
            _pressureEvictions++;
        }
    }

    /// <summary>
    /// Evicts least recently used entries until at most <paramref name="fraction"/> of the bytes
    /// now in use remain. The memory watchdog sheds load this way instead of clearing the shard.
    /// </summary>
    public int EvictToFraction(double fraction, EvictionReason reason)
    {
        lock (_lock)
        {
            long target = (long)(_usedBytes * fraction);
            int evicted = 0;
            while (_usedBytes > target && _lruTail >= 0)
            {
                EvictTail(reason);
                evicted++;
            }

            CompactIfNeeded();
            return evicted;
        }
    }
}
