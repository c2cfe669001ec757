using System.Buffers.Binary;

namespace KubeCache.CacheNode.Storage;

/// <summary>
/// A record's layout: <c>[head][expiry?][key][value length][value][slot]</c>. The head is a
/// <see cref="VarLength"/> of the key length shifted past two flags (the value's kind, and whether
/// an expiry follows), the expiry 8 bytes of Unix milliseconds present only for an entry that has
/// one, the value length another <see cref="VarLength"/>, and the slot the index number of the
/// shard's slot that was given the record (4 bytes). A key under 32 bytes and a value under 128
/// bytes without TTL therefore take six bytes beside them, and the shard's slot needs neither the
/// key length, nor the kind, nor an expiry word.
/// </summary>
internal sealed partial class RecordArena
{
    /// <summary>The largest key length a record describes.</summary>
    public const int MaxKeyLength = ushort.MaxValue;

    /// <summary>The largest expiry a record holds, in Unix milliseconds (47 bits: until the year 6429).</summary>
    public const long MaxExpiresAt = (1L << 47) - 1;

    /// <summary>The head's low bit: the value is a hash, not a string.</summary>
    private const int HashKindFlag = 1;

    /// <summary>The head's second bit: an expiry follows the head.</summary>
    private const int ExpiryFlag = 2;

    /// <summary>Flag bits below the key length in the head.</summary>
    private const int FlagBits = 2;

    private const int ExpiryBytes = sizeof(long);

    private const int SlotBytes = sizeof(int);

    /// <summary>Bytes a record takes, its head, expiry, value length and slot included.</summary>
    public static int RecordSize(int keyLength, int valueLength, bool hasExpiry) =>
        VarLength.Size(keyLength << FlagBits) + (hasExpiry ? ExpiryBytes : 0) + keyLength + VarLength.Size(valueLength) + valueLength + SlotBytes;

    /// <summary>
    /// Appends a record for the shard's <paramref name="slot"/>; the value, of <paramref name="kind"/>,
    /// is the concatenation of the two parts, or <paramref name="segments"/> (the parts then empty),
    /// and <paramref name="expiresAt"/> 0 (no expiry) takes no bytes.
    /// </summary>
    public long Append(
        int slot, ReadOnlySpan<byte> key, ReadOnlySpan<byte> valueHead, ReadOnlySpan<byte> valueTail, ValueKind kind, long expiresAt,
        SegmentedValue? segments = null)
    {
        int valueLength = valueHead.Length + valueTail.Length;
        bool hasExpiry = expiresAt != 0;
        int size = RecordSize(key.Length, valueLength, hasExpiry);
        long location = Reserve(size, ownPage: segments is not null);
        if (segments is not null)
        {
            _segmented[(int)(location >> OffsetBits)] = segments;
            SegmentBytes += segments.HeldBytes;
        }

        Span<byte> record = Record(location, size);
        int at = VarLength.Write(record, (key.Length << FlagBits) | (hasExpiry ? ExpiryFlag : 0) | (kind == ValueKind.Hash ? HashKindFlag : 0));
        if (hasExpiry)
        {
            BinaryPrimitives.WriteInt64LittleEndian(record[at..], expiresAt);
            at += ExpiryBytes;
        }

        key.CopyTo(record[at..]);
        at += key.Length;
        at += VarLength.Write(record[at..], valueLength);
        valueHead.CopyTo(record[at..]);
        valueTail.CopyTo(record[(at + valueHead.Length)..]);
        BinaryPrimitives.WriteInt32LittleEndian(record[^SlotBytes..], slot);
        return location;
    }

    /// <summary>Appends a copy of the record at <paramref name="location"/> with another expiry and releases the original; returns the copy's location.</summary>
    public long Rewrite(long location, long expiresAt)
    {
        SegmentedValue? segments = Segments(location);
        long copy = Append(SlotAt(location), Key(location), segments is null ? Value(location).Span : [], [], Kind(location), expiresAt, segments);
        Release(location, successor: segments);
        return copy;
    }

    public ReadOnlySpan<byte> Key(long location)
    {
        ReadOnlySpan<byte> record = RecordAt(location);
        int at = KeyOffset(record, out int keyLength);
        return record.Slice(at, keyLength);
    }

    /// <summary>What the record's value holds: a string, or a hash's encoded field list.</summary>
    public ValueKind Kind(long location) => (RecordAt(location)[0] & HashKindFlag) != 0 ? ValueKind.Hash : ValueKind.String;

    /// <summary>Absolute expiry in Unix milliseconds; 0 means the entry never expires.</summary>
    public long ExpiresAt(long location)
    {
        ReadOnlySpan<byte> record = RecordAt(location);
        if ((record[0] & ExpiryFlag) == 0)
        {
            return 0;
        }

        VarLength.Read(record, out int used);
        return BinaryPrimitives.ReadInt64LittleEndian(record[used..]);
    }

    /// <summary>
    /// Changes the expiry in place, which only a record with an expiry field can (its old value is
    /// read under the lock only, never handed out); false when the record needs a
    /// <see cref="Rewrite"/> to take the new expiry.
    /// </summary>
    public bool TrySetExpiresAt(long location, long expiresAt)
    {
        Span<byte> record = Page(location).AsSpan(Offset(location));
        if ((record[0] & ExpiryFlag) == 0)
        {
            return expiresAt == 0;
        }

        VarLength.Read(record, out int used);
        BinaryPrimitives.WriteInt64LittleEndian(record[used..], expiresAt);
        return true;
    }

    /// <summary>The value as bytes: a segmented value's bytes are copied into a new array (<see cref="Segments"/> reads it in place).</summary>
    public ReadOnlyMemory<byte> Value(long location) => Segments(location) is { } segments ? segments.ToArray() : RecordValue(location);

    /// <summary>The bytes the record itself holds as its value: empty for a record whose value is <see cref="Segments"/>.</summary>
    public ReadOnlyMemory<byte> RecordValue(long location)
    {
        byte[] page = Page(location);
        int start = Offset(location);
        int at = start + KeyOffset(page.AsSpan(start), out int keyLength) + keyLength;
        int valueLength = VarLength.Read(page.AsSpan(at), out int used);
        return page.AsMemory(at + used, valueLength);
    }

    /// <summary>The segmented hash or string that is the value of the record at <paramref name="location"/>, or null when the record holds its value.</summary>
    public SegmentedValue? Segments(long location) => _segmented[(int)(location >> OffsetBits)];

    /// <summary>Length of the value of the record at <paramref name="location"/>.</summary>
    public int ValueLength(long location)
    {
        if (Segments(location) is { } segments)
        {
            return segments.Length;
        }

        ReadOnlySpan<byte> record = RecordAt(location);
        int at = KeyOffset(record, out int keyLength) + keyLength;
        return VarLength.Read(record[at..], out _);
    }

    /// <summary>The slot the record at <paramref name="location"/> was written for.</summary>
    public int SlotAt(long location)
    {
        ReadOnlySpan<byte> record = RecordAt(location);
        return SlotOf(record, SizeOf(record));
    }

    /// <summary>Size of the record at <paramref name="location"/>, its head included.</summary>
    public int SizeAt(long location) => SizeOf(RecordAt(location));

    /// <summary>Where the key starts in <paramref name="record"/>, past its head and expiry.</summary>
    private static int KeyOffset(ReadOnlySpan<byte> record, out int keyLength)
    {
        int head = VarLength.Read(record, out int used);
        keyLength = head >> FlagBits;
        return used + ((head & ExpiryFlag) != 0 ? ExpiryBytes : 0);
    }

    /// <summary>The slot named by the record of <paramref name="size"/> bytes at the start of <paramref name="record"/>.</summary>
    private static int SlotOf(ReadOnlySpan<byte> record, int size) => BinaryPrimitives.ReadInt32LittleEndian(record[(size - SlotBytes)..]);

    /// <summary>Size of the record at the start of <paramref name="record"/>.</summary>
    private static int SizeOf(ReadOnlySpan<byte> record)
    {
        int at = KeyOffset(record, out int keyLength) + keyLength;
        int valueLength = VarLength.Read(record[at..], out int used);
        return at + used + valueLength + SlotBytes;
    }
}
