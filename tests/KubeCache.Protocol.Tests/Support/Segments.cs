using System.Buffers;

namespace KubeCache.Protocol.Tests.Support;

/// <summary>Builds multi-segment sequences, the shape input has when it arrives in pieces.</summary>
internal static class Segments
{
    /// <summary>Splits <paramref name="data"/> into segments at each of the ascending <paramref name="cuts"/>.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var first = new Segment(data.AsMemory(0, cuts.Length == 0 ? data.Length : cuts[0]), 0);
        Segment last = first;
        for (int i = 0; i < cuts.Length; i++)
        {
            int end = i + 1 < cuts.Length ? cuts[i + 1] : data.Length;
            last = last.Append(data.AsMemory(cuts[i], end - cuts[i]));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Every way to cut <paramref name="data"/> in two, empty halves included.</summary>
    public static IEnumerable<ReadOnlySequence<byte>> EveryTwoWaySplit(byte[] data)
    {
        for (int cut = 0; cut <= data.Length; cut++)
        {
            yield return Split(data, cut);
        }
    }

    /// <summary>One segment per byte.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data) =>
        Split(data, [.. Enumerable.Range(1, Math.Max(0, data.Length - 1))]);

    /// <summary>Segments of <paramref name="size"/> bytes, like a socket read loop would produce.</summary>
    public static ReadOnlySequence<byte> Chunked(byte[] data, int size) =>
        Split(data, [.. Enumerable.Range(1, Math.Max(0, (data.Length - 1) / size)).Select(i => i * size)]);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
