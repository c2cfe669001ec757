using System.Runtime.InteropServices;

namespace KubeCache.CacheNode.Storage;

/// <summary>
/// One slot of a shard's entry table: 32 bytes, no object of its own. The key and the value live
/// in the shard's <see cref="RecordArena"/> at <see cref="Location"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Entry
{
    /// <summary>Expiry uses the low 47 bits (Unix milliseconds, enough until the year 6429).</summary>
    private const int ExpiryBits = 47;
    private const ulong ExpiryMask = (1UL << ExpiryBits) - 1;

    /// <summary>The key length takes the next 16 bits, the value's kind the top bit.</summary>
    private const int KeyLengthBits = 16;
    private const int KindShift = ExpiryBits + KeyLengthBits;

    /// <summary>Where the entry's record is in the shard's arena; 0 while the slot is free.</summary>
    public long Location;

    /// <summary>Expiry (low 47 bits), key length (16 bits) and kind (top bit) share one word to keep the slot at 32 bytes.</summary>
    private ulong _meta;

    /// <summary>The key's hash as computed by <see cref="KeyHasher"/>.</summary>
    public int Hash;

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

    public readonly bool IsFree => Location == 0;

    public void Set(long location, int keyLength, ValueKind kind)
    {
        Location = location;
        _meta = ((ulong)kind << KindShift) | ((ulong)keyLength << ExpiryBits) | (_meta & ExpiryMask);
    }

    public void Clear()
    {
        Location = 0;
        _meta = 0;
    }
}
