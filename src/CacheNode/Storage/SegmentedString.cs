using System.Numerics;

namespace KubeCache.CacheNode.Storage;

/// <summary>
/// A string of more than <see cref="MinBytes"/> that SETBIT, SETRANGE or APPEND changed, kept in
/// chunks of one power-of-two size (the last one shorter) so that such a write copies the chunks
/// it changes and the part of the table of chunk references they are in, not the string: a bitmap or a growing log stays as
/// cheap to change as a short string. Byte <c>i</c> is in chunk <c>i / ChunkBytes</c>.
/// </summary>
/// <remarks>
/// The chunk size is the smallest power of two from <see cref="MinChunkBytes"/> whose square over
/// eight reaches the length, so the references (8 bytes a chunk) come to at most one chunk's
/// size and a write copies no more of them than of the string; a write that takes the string past that bound lays it out again with the larger
/// size (a string only grows through these writes, so that happens a few times in its life). A
/// SET stores one value again: strings that are only written whole and read are never chunked.
/// </remarks>
internal sealed class SegmentedString : SegmentedValue
{
    /// <summary>Strings a write makes longer than this are chunked.</summary>
    public const int MinBytes = 8 * 1024;

    /// <summary>The smallest chunk.</summary>
    public const int MinChunkBytes = 4 * 1024;

    private readonly int _shift;

    private SegmentedString(SegmentTable chunks, int length, int shift)
        : base(chunks, length, bytesPerSegment: 0)
    {
        _shift = shift;
    }

    /// <summary>Bytes of each chunk but the last.</summary>
    public int ChunkBytes => 1 << _shift;

    /// <summary>
    /// <paramref name="value"/> with <paramref name="bytes"/> written at <paramref name="offset"/>,
    /// zero bytes filling any gap past its end, in chunks; the result must fit an int.
    /// </summary>
    public static SegmentedString Of(ReadOnlySpan<byte> value, int offset, ReadOnlySpan<byte> bytes)
    {
        int length = Math.Max(value.Length, offset + bytes.Length);
        int shift = ShiftFor(length);
        SegmentTable.Builder chunks = Zeroed(length, shift);
        Write(chunks, shift, 0, value);
        Write(chunks, shift, offset, bytes);
        return new SegmentedString(chunks.ToTable(), length, shift);
    }

    /// <summary>
    /// This string with <paramref name="bytes"/> written at <paramref name="offset"/> (SETRANGE,
    /// SETBIT, APPEND at <see cref="SegmentedValue.Length"/>): a new string sharing every chunk the
    /// write does not reach; the result must fit an int.
    /// </summary>
    public SegmentedString Overwritten(int offset, ReadOnlySpan<byte> bytes)
    {
        int length = Math.Max(Length, offset + bytes.Length);
        if (ShiftFor(length) is int shift && shift != _shift)
        {
            // Laid out again in larger chunks, the bytes going from the old chunks to the new ones piece by piece.
            SegmentTable.Builder larger = Zeroed(length, shift);
            int at = 0;
            foreach (ReadOnlyMemory<byte> piece in Pieces(0, Length))
            {
                Write(larger, shift, at, piece.Span);
                at += piece.Length;
            }

            Write(larger, shift, offset, bytes);
            return new SegmentedString(larger.ToTable(), length, shift);
        }

        SegmentTable.Builder chunks = Segments.Edit(ChunkCount(length, _shift));
        // The chunks the write reaches, and those the string grows into, are copied or made.
        Renew(chunks, offset, offset + bytes.Length, length);
        Renew(chunks, Length, length, length);
        Write(chunks, _shift, offset, bytes);
        return new SegmentedString(chunks.ToTable(), length, _shift);
    }

    public byte this[int index] => Segments[index >> _shift][index & (ChunkBytes - 1)];

    public override void CopyTo(Span<byte> destination) => CopyTo(0, destination);

    /// <summary>Writes the <c>destination.Length</c> bytes from <paramref name="start"/> to <paramref name="destination"/>.</summary>
    public void CopyTo(int start, Span<byte> destination)
    {
        foreach (ReadOnlyMemory<byte> piece in Pieces(start, destination.Length))
        {
            piece.Span.CopyTo(destination);
            destination = destination[piece.Length..];
        }
    }

    /// <summary>The <paramref name="count"/> bytes from <paramref name="start"/> as slices of the chunks, in order; the range must lie within the string.</summary>
    public PieceEnumerator Pieces(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + count, Length, nameof(count));
        return new(Segments, _shift, start, count);
    }

    /// <summary>The smallest chunk shift from <see cref="MinChunkBytes"/> whose chunks' square over eight reaches <paramref name="length"/>.</summary>
    private static int ShiftFor(int length)
    {
        int shift = BitOperations.Log2(MinChunkBytes);
        while ((1L << (2 * shift)) / 8 < length)
        {
            shift++;
        }

        return shift;
    }

    /// <summary>The chunks of a string of <paramref name="length"/> zero bytes, of 2^<paramref name="shift"/> bytes.</summary>
    private static SegmentTable.Builder Zeroed(int length, int shift)
    {
        SegmentTable.Builder chunks = SegmentTable.Build(ChunkCount(length, shift));
        for (int i = 0; i < chunks.Count; i++)
        {
            chunks[i] = new byte[Math.Min(length - (i << shift), 1 << shift)];
        }

        return chunks;
    }

    private static int ChunkCount(int length, int shift) => (int)((length + (1L << shift) - 1) >> shift);

    /// <summary>Replaces the chunks in <c>chunks</c> that hold bytes of [<paramref name="from"/>, <paramref name="to"/>) with copies sized for a string of <paramref name="length"/>.</summary>
    private void Renew(SegmentTable.Builder chunks, int from, int to, int length)
    {
        if (from >= to)
        {
            return;
        }

        for (int i = from >> _shift; i <= (to - 1) >> _shift; i++)
        {
            byte[]? old = i < Segments.Count ? Segments[i] : null;
            if (!ReferenceEquals(chunks[i], old))
            {
                continue; // renewed already
            }

            byte[] chunk = new byte[Math.Min(length - (i << _shift), ChunkBytes)];
            old?.CopyTo(chunk, 0);
            chunks[i] = chunk;
        }
    }

    /// <summary>Copies <paramref name="bytes"/> into <paramref name="chunks"/>, chunks of 2^<paramref name="shift"/> bytes that the write may change in place, at <paramref name="offset"/>.</summary>
    private static void Write(SegmentTable.Builder chunks, int shift, int offset, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int within = offset & ((1 << shift) - 1);
            byte[] chunk = chunks[offset >> shift];
            int count = Math.Min(bytes.Length, chunk.Length - within);
            bytes[..count].CopyTo(chunk.AsSpan(within));
            bytes = bytes[count..];
            offset += count;
        }
    }

    /// <summary>Walks a range of a string chunk by chunk (or a string of one value in one piece) without allocating.</summary>
    public struct PieceEnumerator
    {
        private readonly SegmentTable? _chunks;
        private readonly int _shift;
        private readonly ReadOnlyMemory<byte> _single;
        private int _at;
        private int _left;

        public PieceEnumerator(SegmentTable chunks, int shift, int start, int count)
        {
            _chunks = chunks;
            _shift = shift;
            _at = start;
            _left = count;
        }

        /// <summary>One piece, <paramref name="single"/> (none when it is empty).</summary>
        public PieceEnumerator(ReadOnlyMemory<byte> single)
        {
            _single = single;
            _left = single.Length;
        }

        public ReadOnlyMemory<byte> Current { get; private set; }

        public readonly PieceEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_left <= 0)
            {
                return false;
            }

            if (_chunks is null)
            {
                Current = _single;
                _left = 0;
                return true;
            }

            byte[] chunk = _chunks[_at >> _shift];
            int within = _at & ((1 << _shift) - 1);
            int length = Math.Min(_left, chunk.Length - within);
            Current = chunk.AsMemory(within, length);
            _at += length;
            _left -= length;
            return true;
        }
    }
}
