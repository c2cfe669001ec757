using System.Runtime.InteropServices;

namespace KubeCache.CacheNode.Storage;

/// <summary>
/// One slot of a shard's entry table: 20 bytes, no object of its own. The key, the value, their
/// kind and the expiry live in the shard's <see cref="RecordArena"/> at <see cref="Location"/>;
/// the slot keeps only what finding the record and ordering it need.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct Entry
{
    /// <summary>The record's location takes the low 40 bits of its word (see <see cref="RecordArena.MaxPages"/>), the hash the top 24.</summary>
    public const int LocationBits = 40;
    private const ulong LocationMask = (1UL << LocationBits) - 1;

    /// <summary>Bits of the key's hash a slot keeps: enough to tell chain neighbours apart and to index up to 2^24 buckets.</summary>
    public const int HashBits = 64 - LocationBits;
    public const int HashMask = (1 << HashBits) - 1;

    /// <summary>Location (low 40 bits) and hash (top 24 bits) share one word to keep the slot at 20 bytes.</summary>
    private ulong _where;

    /// <summary>Next slot in the same bucket chain, or in the free list; -1 ends the chain.</summary>
    public int Next;

    /// <summary>Neighbour towards the most recently used end; -1 at the head.</summary>
    public int LruPrev;

    /// <summary>Neighbour towards the least recently used end; -1 at the tail.</summary>
    public int LruNext;

    /// <summary>Where the entry's record is in the shard's arena; 0 while the slot is free.</summary>
    public long Location
    {
        readonly get => (long)(_where & LocationMask);
        set => _where = (_where & ~LocationMask) | (ulong)value;
    }

    /// <summary>The low <see cref="HashBits"/> bits of the key's hash as computed by <see cref="KeyHasher"/>.</summary>
    public int Hash
    {
        readonly get => (int)(_where >> LocationBits);
        set => _where = (_where & LocationMask) | ((ulong)(uint)(value & HashMask) << LocationBits);
    }

    public readonly bool IsFree => Location == 0;

    public void Clear() => _where = 0;
}
