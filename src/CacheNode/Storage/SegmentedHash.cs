using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;

namespace KubeCache.CacheNode.Storage;

/// <summary>
/// A hash of more than <see cref="MinBytes"/> of <see cref="HashFields"/> encoding, kept in
/// segments so that a write copies one segment and not the hash: each pair lies in the segment its
/// field's hash picks, and each segment is an array of its own holding its pair count and its
/// pairs' encoding. Never changed once made, like a record: a write makes a new
/// <see cref="SegmentedHash"/> that shares every segment it did not change, so readers use one
/// without the shard's lock. The segments' encodings one after another are the hash's encoding,
/// which is what the store hands to anything that needs the value as bytes (handoff, COPY, OBJECT).
/// </summary>
/// <remarks>
/// Segments number a power of two and a field's segment is the top bits of its XXH3 (seeded per
/// process, so no set of field names can be chosen to fall into one segment). The count doubles
/// when the average segment passes <see cref="MaxAverageBytes"/> (each segment splits in two by
/// the next bit, one walk of the hash) and halves below a quarter of it, so a write copies a
/// segment of a quarter of <see cref="MaxAverageBytes"/> to all of it on average, and the array of
/// segment references, and a read walks one segment.
/// </remarks>
internal sealed partial class SegmentedHash : SegmentedValue
{
    /// <summary>Hashes of more encoded bytes than this are segmented; one of less than half of it goes back to one value.</summary>
    public const int MinBytes = 8 * 1024;

    /// <summary>The average segment's encoding past which segments double.</summary>
    public const int MaxAverageBytes = 2 * 1024;

    private const int MinSegments = 4;

    /// <summary>Each segment starts with its pair count.</summary>
    private const int CountBytes = sizeof(int);

    private static readonly long s_seed = Random.Shared.NextInt64();

    private readonly int _shift;

    /// <summary>At least the pairs of the fullest segment (deletes leave it high until the segments are next laid out), for <see cref="RandomPair"/>.</summary>
    private readonly int _maxSegmentCount;

    private SegmentedHash(SegmentTable segments, int count, int length, int maxSegmentCount)
        : base(segments, length, CountBytes)
    {
        _shift = ShiftFor(segments.Count);
        Count = count;
        _maxSegmentCount = maxSegmentCount;
    }

    /// <summary>Pairs in the hash.</summary>
    public int Count { get; }

    /// <summary>
    /// The hash whose encoding is <paramref name="head"/> followed by <paramref name="tail"/>, in as
    /// many segments as keep the average at half of <see cref="MaxAverageBytes"/> at most.
    /// </summary>
    public static SegmentedHash Of(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail)
    {
        int length = head.Length + tail.Length;
        int segments = MinSegments;
        while (length > segments * (long)(MaxAverageBytes / 2))
        {
            segments *= 2;
        }

        if (tail.IsEmpty)
        {
            return Partition(head, segments);
        }

        byte[] encoded = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            head.CopyTo(encoded);
            tail.CopyTo(encoded.AsSpan(head.Length));
            return Partition(encoded.AsSpan(0, length), segments);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    public bool TryGet(ReadOnlySpan<byte> field, out ReadOnlySpan<byte> value) =>
        HashFields.TryGet(Encoding(Segments[SegmentOf(field)]), field, out value);

    /// <summary>
    /// A pair drawn uniformly (HRANDFIELD without a count): a segment and a position below the
    /// fullest segment's count drawn until the position holds a pair, so each pair is as likely
    /// and the segments are balanced by the hash, a draw or two on average; then a walk of that
    /// segment. The hash must hold a pair.
    /// </summary>
    public HashFields.Pair RandomPair(Random random)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("An empty hash has no pair to draw.");
        }

        while (true)
        {
            byte[] segment = Segments[random.Next(Segments.Count)];
            int index = random.Next(_maxSegmentCount);
            if (index < PairCount(segment))
            {
                HashFields.Enumerator pairs = HashFields.Enumerate(Encoding(segment));
                for (int skip = index; skip >= 0; skip--)
                {
                    pairs.MoveNext();
                }

                return pairs.Current;
            }
        }
    }

    /// <summary>The segments' encodings, in order, as slices of their arrays.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Encodings()
    {
        foreach (byte[] segment in Segments)
        {
            yield return segment.AsMemory(CountBytes);
        }
    }

    public Enumerator Enumerate() => new(Segments);

    /// <summary>Writes the hash's encoding (<see cref="SegmentedValue.Length"/> bytes) to <paramref name="destination"/>.</summary>
    public override void CopyTo(Span<byte> destination) => CopyTo(Segments, destination);

    /// <summary>Writes the encodings of <paramref name="segments"/>, one after another, to <paramref name="destination"/>.</summary>
    private static void CopyTo(SegmentTable segments, Span<byte> destination)
    {
        foreach (byte[] segment in segments)
        {
            ReadOnlySpan<byte> encoding = Encoding(segment);
            encoding.CopyTo(destination);
            destination = destination[encoding.Length..];
        }
    }

    private int SegmentOf(ReadOnlySpan<byte> field) => SegmentOf(field, _shift);

    /// <summary>The segment of <paramref name="field"/> among 2^(64 - <paramref name="shift"/>): the top bits of its hash.</summary>
    private static int SegmentOf(ReadOnlySpan<byte> field, int shift) => (int)(XxHash3.HashToUInt64(field, s_seed) >> shift);

    private static int ShiftFor(int segments) => 64 - BitOperations.Log2((uint)segments);

    /// <summary>A hash of these segments, their count doubled or halved when the average left its bounds.</summary>
    private static SegmentedHash Resized(SegmentTable segments, int count, int length, int maxSegmentCount)
    {
        int target = segments.Count;
        while (length > target * (long)MaxAverageBytes)
        {
            target *= 2;
        }

        while (target > MinSegments && length < target * (long)(MaxAverageBytes / 4))
        {
            target /= 2;
        }

        if (target == segments.Count)
        {
            return new SegmentedHash(segments, count, length, maxSegmentCount);
        }

        byte[] encoded = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            CopyTo(segments, encoded);
            return Partition(encoded.AsSpan(0, length), target);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    /// <summary>
    /// Spreads the pairs of <paramref name="encoded"/> over <paramref name="segments"/> segments: one
    /// walk hashes each field and sizes the segments, one fills them (a pair takes at least two
    /// bytes, which bounds the pairs whose segments the first walk keeps).
    /// </summary>
    private static SegmentedHash Partition(ReadOnlySpan<byte> encoded, int segments)
    {
        int shift = ShiftFor(segments);
        int[] lengths = new int[segments];
        int[] counts = new int[segments];
        int[] segmentOfPair = ArrayPool<int>.Shared.Rent((encoded.Length / 2) + 1);
        try
        {
            int total = 0;
            for (ReadOnlySpan<byte> rest = encoded; !rest.IsEmpty; total++)
            {
                int start = encoded.Length - rest.Length;
                int segment = segmentOfPair[total] = SegmentOf(HashFields.ReadPart(ref rest), shift);
                HashFields.ReadPart(ref rest);
                lengths[segment] += encoded.Length - rest.Length - start;
                counts[segment]++;
            }

            byte[][] arrays = new byte[segments][];
            for (int i = 0; i < segments; i++)
            {
                arrays[i] = new byte[CountBytes + lengths[i]];
                BinaryPrimitives.WriteInt32LittleEndian(arrays[i], counts[i]);
            }

            int[] written = new int[segments];
            int pair = 0;
            for (ReadOnlySpan<byte> rest = encoded; !rest.IsEmpty; pair++)
            {
                int start = encoded.Length - rest.Length;
                HashFields.ReadPart(ref rest);
                HashFields.ReadPart(ref rest);
                int size = encoded.Length - rest.Length - start;
                int segment = segmentOfPair[pair];
                encoded.Slice(start, size).CopyTo(arrays[segment].AsSpan(CountBytes + written[segment]));
                written[segment] += size;
            }

            return new SegmentedHash(SegmentTable.Of(arrays), total, encoded.Length, counts.Max());
        }
        finally
        {
            ArrayPool<int>.Shared.Return(segmentOfPair);
        }
    }

    private static byte[] NewSegment(int count, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail)
    {
        byte[] segment = GC.AllocateUninitializedArray<byte>(CountBytes + head.Length + tail.Length);
        BinaryPrimitives.WriteInt32LittleEndian(segment, count);
        head.CopyTo(segment.AsSpan(CountBytes));
        tail.CopyTo(segment.AsSpan(CountBytes + head.Length));
        return segment;
    }

    private static int PairCount(byte[] segment) => BinaryPrimitives.ReadInt32LittleEndian(segment);

    private static ReadOnlySpan<byte> Encoding(byte[] segment) => segment.AsSpan(CountBytes);

    /// <summary>Walks the pairs segment by segment without allocating.</summary>
    public ref struct Enumerator(SegmentTable segments)
    {
        private int _next;
        private HashFields.Enumerator _pairs;

        public readonly HashFields.Pair Current => _pairs.Current;

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (!_pairs.MoveNext())
            {
                if (_next == segments.Count)
                {
                    return false;
                }

                _pairs = HashFields.Enumerate(Encoding(segments[_next++]));
            }

            return true;
        }
    }
}
