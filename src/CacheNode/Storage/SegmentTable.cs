namespace KubeCache.CacheNode.Storage;

/// <summary>
/// The references to a <see cref="SegmentedValue"/>'s segments, in two levels: leaves of
/// <see cref="LeafSize"/> references and a root of leaves. Never changed once made: a write copies
/// the root and the leaves it changes (a few KiB) and shares the rest, so what it costs does not grow
/// with the value (one array of 32,768 references, a hash of 25 MB, was 256 KiB to copy, on the
/// large object heap, and to walk for the bytes the write left behind).
/// </summary>
internal sealed class SegmentTable
{
    /// <summary>References per leaf: 2 KiB of them, about a hash segment's size and far below the large object heap.</summary>
    public const int LeafSize = 1 << LeafBits;

    /// <summary>What the runtime adds to each array: its header and length.</summary>
    public const int ArrayOverheadBytes = 24;

    private const int LeafBits = 8;

    /// <summary>Every leaf holds <see cref="LeafSize"/> references but the last, which holds the rest.</summary>
    private readonly byte[][][] _leaves;

    private SegmentTable(byte[][][] leaves, int count)
    {
        _leaves = leaves;
        Count = count;
    }

    /// <summary>Segments in the table.</summary>
    public int Count { get; }

    /// <summary>Bytes the table's own arrays hold (root and leaves, with their headers), counted, not walked.</summary>
    public long ReferenceBytes => ArrayOverheadBytes + (_leaves.Length * (long)(sizeof(long) + ArrayOverheadBytes)) + (Count * (long)sizeof(long));

    public byte[] this[int index] => _leaves[index >> LeafBits][index & (LeafSize - 1)];

    /// <summary>A table of <paramref name="segments"/>, in their order.</summary>
    public static SegmentTable Of(byte[][] segments)
    {
        Builder builder = Build(segments.Length);
        for (int i = 0; i < segments.Length; i++)
        {
            builder[i] = segments[i];
        }

        return builder.ToTable();
    }

    /// <summary>A new table of <paramref name="count"/> segments, each to be set.</summary>
    public static Builder Build(int count) => new(null, count);

    /// <summary>A table of <paramref name="count"/> segments that starts as this one's (those past its end unset), for a write to change some of them.</summary>
    public Builder Edit(int count) => new(this, count);

    public Enumerator GetEnumerator() => new(this);

    /// <summary>Bytes the table's arrays and segments hold, each array's length read: what <see cref="ReferenceBytes"/> plus the segments must come to.</summary>
    public long HeldBytesOfArrays()
    {
        long held = ArrayOverheadBytes + (_leaves.Length * (long)sizeof(long));
        foreach (byte[][] leaf in _leaves)
        {
            held += ArrayOverheadBytes + (leaf.Length * (long)sizeof(long));
            foreach (byte[] segment in leaf)
            {
                held += ArrayOverheadBytes + segment.Length;
            }
        }

        return held;
    }

    /// <summary>
    /// Bytes of this table's arrays and segments that <paramref name="successor"/> does not share
    /// (at the same place): a leaf it shares is skipped whole, so this reads the root and the leaves
    /// a write changed.
    /// </summary>
    public long BytesNotIn(SegmentTable successor)
    {
        if (ReferenceEquals(successor._leaves, _leaves))
        {
            return 0;
        }

        long bytes = ArrayOverheadBytes + (_leaves.Length * (long)sizeof(long));
        for (int l = 0; l < _leaves.Length; l++)
        {
            byte[][] leaf = _leaves[l];
            byte[][]? kept = l < successor._leaves.Length ? successor._leaves[l] : null;
            if (ReferenceEquals(leaf, kept))
            {
                continue;
            }

            bytes += ArrayOverheadBytes + (leaf.Length * (long)sizeof(long));
            for (int i = 0; i < leaf.Length; i++)
            {
                bool shared = kept is not null && i < kept.Length && ReferenceEquals(leaf[i], kept[i]);
                bytes += shared ? 0 : ArrayOverheadBytes + leaf[i].Length;
            }
        }

        return bytes;
    }

    private static int LeafCount(int count) => (count + LeafSize - 1) >> LeafBits;

    private static int LeafLength(int leaf, int count) => Math.Min(LeafSize, count - (leaf << LeafBits));

    /// <summary>
    /// A table being made from another: a leaf is shared until a segment in it is set, then copied
    /// once; leaves whose length the new count changes (the last ones) are copied at the start.
    /// </summary>
    public sealed class Builder
    {
        private readonly SegmentTable? _from;
        private readonly byte[][][] _leaves;
        private readonly int _count;

        internal Builder(SegmentTable? from, int count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            _from = from;
            _count = count;
            _leaves = new byte[LeafCount(count)][][];
            for (int l = 0; l < _leaves.Length; l++)
            {
                int length = LeafLength(l, count);
                byte[][]? old = from is not null && l < from._leaves.Length ? from._leaves[l] : null;
                if (old is not null && old.Length == length)
                {
                    _leaves[l] = old;
                    continue;
                }

                _leaves[l] = new byte[length][];
                old?.AsSpan(0, Math.Min(old.Length, length)).CopyTo(_leaves[l]);
            }
        }

        public int Count => _count;

        public byte[] this[int index]
        {
            get => _leaves[index >> LeafBits][index & (LeafSize - 1)];
            set
            {
                int l = index >> LeafBits;
                if (Shares(l))
                {
                    _leaves[l] = (byte[][])_leaves[l].Clone();
                }

                _leaves[l][index & (LeafSize - 1)] = value;
            }
        }

        /// <summary>The table made; every segment must have been set or kept (checked in the leaves this builder made, not in those it shares).</summary>
        public SegmentTable ToTable()
        {
            for (int l = 0; l < _leaves.Length; l++)
            {
                if (!Shares(l) && Array.IndexOf(_leaves[l], null) is int unset and >= 0)
                {
                    throw new InvalidOperationException($"segment {(l << LeafBits) + unset} of a table of {_count} was never set");
                }
            }

            return new SegmentTable(_leaves, _count);
        }

        /// <summary>Whether leaf <paramref name="l"/> is still the table's this one was made from.</summary>
        private bool Shares(int l) => _from is not null && l < _from._leaves.Length && ReferenceEquals(_leaves[l], _from._leaves[l]);
    }

    /// <summary>Walks the segments in order without allocating.</summary>
    public struct Enumerator(SegmentTable table)
    {
        private int _next;

        public byte[] Current { get; private set; } = null!;

        public bool MoveNext()
        {
            if (_next == table.Count)
            {
                return false;
            }

            Current = table[_next++];
            return true;
        }
    }
}
