namespace KubeCache.CacheNode.Storage;

/// <summary>
/// Writes to a segmented hash: each makes a new <see cref="SegmentedHash"/> from an edit of the
/// table of segments, in which only the segments the command's fields fall in are rebuilt (by
/// <see cref="HashFields"/>, as one value's pairs are), then laid out again if the average segment
/// left its bounds.
/// </summary>
internal sealed partial class SegmentedHash
{
    /// <summary>
    /// The hash with <paramref name="updates"/> applied, as <see cref="HashFields.With"/> does, as a
    /// new segmented hash that shares the segments no update falls in.
    /// </summary>
    public Replacement With<TPairs>(ref TPairs updates, out int added)
        where TPairs : IFieldPairs, allows ref struct
    {
        SegmentTable segments = EditSegments(
            ref updates, static (ReadOnlySpan<byte> encoding, ref SegmentPairs<TPairs> part, out int changed) => HashFields.With(encoding, ref part, out changed),
            sign: 1, out added, out int length, out int maxSegmentCount);
        return Replacement.Segmented(Resized(segments, Count + added, length, maxSegmentCount));
    }

    /// <summary>
    /// The hash without the fields of <paramref name="fields"/>, as <see cref="HashFields.Without"/>
    /// does: <see cref="Replacement.None"/> when it had none of them, one value again once it falls
    /// below half of <see cref="MinBytes"/>, and empty (the key goes) when no pair is left.
    /// </summary>
    public Replacement Without<TPairs>(ref TPairs fields, out int removed)
        where TPairs : IFieldPairs, allows ref struct
    {
        SegmentTable segments = EditSegments(
            ref fields, static (ReadOnlySpan<byte> encoding, ref SegmentPairs<TPairs> part, out int changed) => HashFields.Without(encoding, ref part, out changed),
            sign: -1, out removed, out int length, out int maxSegmentCount);
        if (removed == 0)
        {
            return Replacement.None;
        }

        SegmentedHash smaller = Resized(segments, Count - removed, length, maxSegmentCount);
        if (length >= MinBytes / 2)
        {
            return Replacement.Segmented(smaller);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        smaller.CopyTo(buffer);
        return Replacement.Rented(buffer, length);
    }

    /// <summary>
    /// The table of segments with <paramref name="edit"/> applied to each segment the
    /// fields of <paramref name="pairs"/> fall in; <paramref name="changed"/> counts the pairs it
    /// added (<paramref name="sign"/> 1) or removed (-1), and the new length and fullest count come out.
    /// </summary>
    private SegmentTable EditSegments<TPairs>(ref TPairs pairs, SegmentEdit<TPairs> edit, int sign, out int changed, out int length, out int maxSegmentCount)
        where TPairs : IFieldPairs, allows ref struct
    {
        SegmentTable.Builder segments = Segments.Edit(Segments.Count);
        length = Length;
        maxSegmentCount = _maxSegmentCount;
        changed = 0;
        foreach ((int segment, int[] indexes) in BySegment(ref pairs))
        {
            var part = new SegmentPairs<TPairs>(pairs, indexes);
            ReadOnlySpan<byte> old = Encoding(segments[segment]);
            Replacement replacement = edit(old, ref part, out int partChanged);
            try
            {
                if (replacement.HasValue)
                {
                    segments[segment] = NewSegment(PairCount(segments[segment]) + (sign * partChanged), replacement.Appends ? old : [], replacement.Span);
                    maxSegmentCount = Math.Max(maxSegmentCount, PairCount(segments[segment]));
                    length += (int)(replacement.LengthAfter(old.Length) - old.Length);
                    changed += partChanged;
                }
            }
            finally
            {
                replacement.Return();
            }
        }

        return segments.ToTable();
    }

    /// <summary>
    /// The segments the fields of <paramref name="pairs"/> fall in, in order, each with the indexes
    /// of its pairs in the command's order (a field given twice keeps Redis's rule within its
    /// segment): each field hashed once, then the pairs counted into their segments when the
    /// command has at least a quarter as many pairs as the hash has segments (an HSET of a mapping),
    /// else sorted by segment and index (an array per segment would outweigh a few pairs).
    /// </summary>
    private List<(int Segment, int[] Indexes)> BySegment<TPairs>(ref TPairs pairs)
        where TPairs : IFieldPairs, allows ref struct
    {
        var groups = new List<(int, int[])>();
        if (pairs.Count * 4L >= Segments.Count)
        {
            int[] segmentOf = new int[pairs.Count];
            int[] counts = new int[Segments.Count];
            for (int i = 0; i < segmentOf.Length; i++)
            {
                counts[segmentOf[i] = SegmentOf(pairs.Field(i))]++;
            }

            int[][] indexes = new int[Segments.Count][];
            for (int i = 0; i < segmentOf.Length; i++)
            {
                int segment = segmentOf[i];
                indexes[segment] ??= new int[counts[segment]];
                indexes[segment][indexes[segment].Length - counts[segment]--] = i;
            }

            for (int segment = 0; segment < indexes.Length; segment++)
            {
                if (indexes[segment] is { } those)
                {
                    groups.Add((segment, those));
                }
            }

            return groups;
        }

        long[] keys = new long[pairs.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = ((long)SegmentOf(pairs.Field(i)) << 32) | (uint)i;
        }

        Array.Sort(keys);
        for (int start = 0, end; start < keys.Length; start = end)
        {
            int segment = (int)(keys[start] >> 32);
            for (end = start + 1; end < keys.Length && (int)(keys[end] >> 32) == segment; end++)
            {
            }

            groups.Add((segment, [.. keys[start..end].Select(key => (int)key)]));
        }

        return groups;
    }

    /// <summary>One segment's share of an edit: <see cref="HashFields.With"/> or <see cref="HashFields.Without"/>.</summary>
    private delegate Replacement SegmentEdit<TPairs>(ReadOnlySpan<byte> encoding, ref SegmentPairs<TPairs> pairs, out int changed)
        where TPairs : IFieldPairs, allows ref struct;

    /// <summary>The pairs of a command that fall in one segment, by their indexes in it.</summary>
    private readonly ref struct SegmentPairs<TPairs>(TPairs pairs, int[] indexes) : IFieldPairs
        where TPairs : IFieldPairs, allows ref struct
    {
        private readonly TPairs _pairs = pairs;

        public int Count => indexes.Length;

        public ReadOnlySpan<byte> Field(int index) => _pairs.Field(indexes[index]);

        public ReadOnlySpan<byte> Value(int index) => _pairs.Value(indexes[index]);
    }
}
