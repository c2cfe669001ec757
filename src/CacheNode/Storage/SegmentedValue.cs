namespace KubeCache.CacheNode.Storage;

/// <summary>
/// A large value kept in segments, each an array of its own, so that a write copies the segments
/// it changes and the array of references, not the value: a <see cref="SegmentedHash"/> or a
/// <see cref="SegmentedString"/>. Never changed once made, like a record: a write makes a new one
/// sharing every segment it did not change, so readers use one without the shard's lock. The
/// store keeps it beside its record (<see cref="RecordArena.Segments"/>) and hands its bytes, copied
/// into one array, to anything that needs the value as bytes (handoff, COPY, MGET, HTTP).
/// </summary>
internal abstract class SegmentedValue
{
    /// <param name="segments">The segments, never changed from now on.</param>
    /// <param name="length">Bytes of the value.</param>
    /// <param name="bytesPerSegment">What each segment holds besides its part of the value (a hash segment's count), so the segments' sizes add up to <c>length</c> plus this many per segment.</param>
    protected SegmentedValue(SegmentTable segments, int length, int bytesPerSegment)
    {
        Segments = segments;
        Length = length;
        // Counted, not walked: a write makes a new value, and reading every segment's length would reach every segment.
        HeldBytes = segments.ReferenceBytes + (segments.Count * (long)(SegmentTable.ArrayOverheadBytes + bytesPerSegment)) + length;
    }

    /// <summary>Bytes of the value as the store counts it (a hash's encoding, a string's bytes).</summary>
    public int Length { get; }

    /// <summary>Bytes the value holds on the heap: its segments with their array headers and its table of segments.</summary>
    public long HeldBytes { get; }

    internal int SegmentCount => Segments.Count;

    protected SegmentTable Segments { get; }

    /// <summary>The bytes the segments and their table hold, found by reading each array's length: <see cref="HeldBytes"/> must be this (checked with the store's invariants).</summary>
    internal long HeldBytesOfSegments() => Segments.HeldBytesOfArrays();

    /// <summary>Writes the value's bytes (<see cref="Length"/> of them) to <paramref name="destination"/>.</summary>
    public abstract void CopyTo(Span<byte> destination);

    /// <summary>The value's bytes in an array of their own.</summary>
    public byte[] ToArray()
    {
        byte[] bytes = GC.AllocateUninitializedArray<byte>(Length);
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Bytes of this value that <paramref name="successor"/> (the value a write made of it, or null) does not share: what the write left as garbage.</summary>
    public long BytesNotIn(SegmentedValue? successor)
    {
        if (ReferenceEquals(successor, this))
        {
            return 0;
        }

        if (successor is null)
        {
            return HeldBytes;
        }

        return Segments.BytesNotIn(successor.Segments);
    }
}
