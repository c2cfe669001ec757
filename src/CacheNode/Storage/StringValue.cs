namespace KubeCache.CacheNode.Storage;

/// <summary>
/// A string as the commands that read or change part of it see it: one value, or a
/// <see cref="SegmentedString"/> (long, and changed by SETBIT, SETRANGE or APPEND). A missing key
/// reads as the empty string (<c>default</c>). Either way it never changes once read, so it is used
/// without the shard's lock.
/// </summary>
internal readonly struct StringValue : IStoredValue<StringValue>
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly SegmentedString? _chunks;

    public StringValue(ReadOnlyMemory<byte> bytes) => _bytes = bytes;

    public StringValue(SegmentedString chunks) => _chunks = chunks;

    public static ValueKind Kind => ValueKind.String;

    /// <summary>The string's chunks when it is kept chunked; null when it is one value.</summary>
    public SegmentedString? Chunks => _chunks;

    public int Length => _chunks?.Length ?? _bytes.Length;

    public static StringValue Of(RecordArena arena, long location) =>
        arena.Segments(location) is SegmentedString chunks ? new StringValue(chunks) : new StringValue(arena.RecordValue(location));

    public byte this[int index] => _chunks is not null ? _chunks[index] : _bytes.Span[index];

    /// <summary>The <paramref name="count"/> bytes from <paramref name="start"/>, in one or more pieces, in order.</summary>
    public SegmentedString.PieceEnumerator Pieces(int start, int count) =>
        _chunks?.Pieces(start, count) ?? new SegmentedString.PieceEnumerator(_bytes.Slice(start, count));

    /// <summary>The whole string as one piece of memory: a chunked one is copied into an array.</summary>
    public ReadOnlyMemory<byte> ToMemory() => _chunks?.ToArray() ?? _bytes;

    /// <summary>
    /// The string with <paramref name="bytes"/> written at <paramref name="offset"/>, zero bytes
    /// filling any gap past its end (SETRANGE, SETBIT; APPEND writes at <see cref="Length"/>):
    /// chunked once it is longer than <see cref="SegmentedString.MinBytes"/>. The new length must
    /// fit an int (the store's --max-value-bytes check comes first).
    /// </summary>
    public Replacement Overwritten(int offset, ReadOnlySpan<byte> bytes)
    {
        int length = Math.Max(Length, offset + bytes.Length);
        if (_chunks is not null)
        {
            return Replacement.Segmented(_chunks.Overwritten(offset, bytes));
        }

        if (length > SegmentedString.MinBytes)
        {
            return Replacement.Segmented(SegmentedString.Of(_bytes.Span, offset, bytes));
        }

        Replacement copy = Replacement.Copy(_bytes.Span, length, out Span<byte> value);
        bytes.CopyTo(value[offset..]);
        return copy;
    }
}
