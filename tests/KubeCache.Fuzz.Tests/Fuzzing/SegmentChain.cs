using System.Buffers;

namespace KubeCache.Fuzz.Tests.Fuzzing;

/// <summary>
/// Input that arrives in chunks, each in its own segment, read the way a <c>PipeReader</c> hands
/// it out: from the position the parser last consumed to the end of what has arrived. Parsers
/// therefore see frames split across segments at every chunk boundary.
/// </summary>
public sealed class SegmentChain
{
    private Segment? _first;
    private Segment? _last;

    /// <summary>Where reading starts before anything is consumed.</summary>
    public SequencePosition Start => new(_first, 0);

    public void Append(ReadOnlyMemory<byte> chunk)
    {
        var segment = new Segment(chunk, _last is null ? 0 : _last.RunningIndex + _last.Memory.Length);
        if (_last is null)
        {
            _first = segment;
        }
        else
        {
            _last.SetNext(segment);
        }

        _last = segment;
    }

    /// <summary>Everything from <paramref name="consumed"/> to the end of the input so far.</summary>
    public ReadOnlySequence<byte> From(SequencePosition consumed) =>
        _last is null ? ReadOnlySequence<byte>.Empty
        : new ReadOnlySequence<byte>((Segment)consumed.GetObject()!, consumed.GetInteger(), _last, _last.Memory.Length);

    /// <summary>The chunks as one multi-segment sequence.</summary>
    public static ReadOnlySequence<byte> Of(IEnumerable<byte[]> chunks)
    {
        var chain = new SegmentChain();
        foreach (byte[] chunk in chunks)
        {
            chain.Append(chunk);
        }

        return chain.From(chain.Start);
    }

    /// <summary>
    /// Cuts <paramref name="input"/> into chunks of random sizes, none empty: single bytes,
    /// a few bytes, or larger pieces, mixed.
    /// </summary>
    public static List<byte[]> Split(byte[] input, FuzzRandom random)
    {
        var chunks = new List<byte[]>();
        int maxChunk = random.Pick<int>([1, 3, 8, 64, 1024]);
        for (int at = 0; at < input.Length;)
        {
            int length = Math.Min(input.Length - at, 1 + random.Next(maxChunk));
            chunks.Add(input[at..(at + length)]);
            at += length;
        }

        return chunks;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
