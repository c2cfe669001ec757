using System.Runtime.InteropServices;

namespace KubeCache.CacheNode.Storage;

/// <summary>
/// One slot of a shard's entry table: 28 bytes, no object of its own. The key and the value live
/// in the shard's <see cref="RecordArena"/> at <see cref="Location"/>.
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

    /// <summary>Expiry uses the low 47 bits (Unix milliseconds, enough until the year 6429).</summary>
    private const int ExpiryBits = 47;
    private const ulong ExpiryMask = (1UL << ExpiryBits) - 1;

    /// <summary>The key length takes the next 16 bits, the value's kind the top bit.</summary>
    private const int KeyLengthBits = 16;
    private const int KindShift = ExpiryBits + KeyLengthBits;

    /// <summary>Location (low 40 bits) and hash (top 24 bits) share one word to keep the slot at 28 bytes.</summary>
    private ulong _where;

    /// <summary>Expiry (low 47 bits), key length (16 bits) and kind (top bit) share one word to keep the slot at 28 bytes.</summary>
    private ulong _meta;

    /// <summary>Next slot in the same bucket chain, or in the free list; -1 ends the chain.</summary>
    public int Next;

    /// <summary>Neighbour towards the most recently used end; -1 at the head.</summary>
    public int LruPrev;

    /// <summary>Neighbour towards the least recently used end; -1 at the tail.</summary>
    public int LruNext;

    /// <summary>The largest key length the slot can describe.</summary>
    public const int MaxKeyLength = (1 << KeyLengthBits) - 1;

    /// <summary>The largest expiry the slot can hold, in Unix milliseconds.</summary>
    public const long MaxExpiresAt = (long)ExpiryMask;

    public readonly int KeyLength => (int)(_meta >> ExpiryBits) & MaxKeyLength;

    /// <summary>What the record's value holds: a string, or a hash's encoded field list.</summary>
    public readonly ValueKind Kind => (ValueKind)(_meta >> KindShift);

    /// <summary>Absolute expiry in Unix milliseconds; 0 means the entry never expires.</summary>
    public long ExpiresAt
    {
        readonly get => (long)(_meta & ExpiryMask);
        set => _meta = (_meta & ~ExpiryMask) | ((ulong)value & ExpiryMask);
    }

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

    public void Set(long location, int keyLength, ValueKind kind)
    {
        Location = location;
        _meta = ((ulong)kind << KindShift) | ((ulong)keyLength << ExpiryBits) | (_meta & ExpiryMask);
    }

    public void Clear()
    {
        _where = 0;
        _meta = 0;
    }
}
