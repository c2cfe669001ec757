using KubeCache.CacheNode.Storage;

namespace KubeCache.CacheNode.Tests.Storage;

/// <summary>
/// The two-level table of a segmented value's segments (<see cref="SegmentTable"/>): reads at every
/// index across leaf boundaries, edits that copy only the leaves they change and leave the table
/// they started from as it was, and the bytes it counts against the bytes its arrays hold.
/// </summary>
public sealed class SegmentTableTests
{
    public static TheoryData<int> Counts => [1, 2, SegmentTable.LeafSize - 1, SegmentTable.LeafSize, SegmentTable.LeafSize + 1, (3 * SegmentTable.LeafSize) + 17];

    [Theory]
    [MemberData(nameof(Counts))]
    public void Of_ReadsEverySegmentInOrder_AndCountsWhatItsArraysHold(int count)
    {
        byte[][] segments = Segments(count, size: i => i % 7);
        SegmentTable table = SegmentTable.Of(segments);

        Assert.Equal(count, table.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Same(segments[i], table[i]);
        }

        var walked = new List<byte[]>();
        foreach (byte[] segment in table)
        {
            walked.Add(segment);
        }

        Assert.Equal(segments, walked);
        long segmentBytes = segments.Sum(s => SegmentTable.ArrayOverheadBytes + (long)s.Length);
        Assert.Equal(table.HeldBytesOfArrays(), table.ReferenceBytes + segmentBytes);
        Assert.Equal(table.HeldBytesOfArrays(), table.BytesNotIn(SegmentTable.Of([])));
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void Edit_OfOneSegment_CopiesItsLeafOnly_AndLeavesTheOldTableAsItWas(int count)
    {
        byte[][] segments = Segments(count, size: _ => 10);
        SegmentTable old = SegmentTable.Of(segments);
        int changed = count - 1;
        SegmentTable.Builder edit = old.Edit(count);
        edit[changed] = new byte[30];
        SegmentTable edited = edit.ToTable();

        Assert.Equal(30, edited[changed].Length);
        Assert.Same(segments[changed], old[changed]);
        for (int i = 0; i < changed; i++)
        {
            Assert.Same(old[i], edited[i]);
        }

        // What the edit left behind: the old root, the leaf it copied and the segment it replaced.
        int leafLength = ((count - 1) % SegmentTable.LeafSize) + 1;
        long rootBytes = SegmentTable.ArrayOverheadBytes + (sizeof(long) * (long)((count + SegmentTable.LeafSize - 1) / SegmentTable.LeafSize));
        long expected = rootBytes + SegmentTable.ArrayOverheadBytes + (sizeof(long) * leafLength) + SegmentTable.ArrayOverheadBytes + 10;
        Assert.Equal(expected, old.BytesNotIn(edited));
        Assert.Equal(0, edited.BytesNotIn(edited));
        Assert.Equal(edited.HeldBytesOfArrays(), edited.ReferenceBytes + ((count - 1) * (SegmentTable.ArrayOverheadBytes + 10L)) + SegmentTable.ArrayOverheadBytes + 30);
    }

    [Fact]
    public void Edit_ThatGrowsOrShrinksTheTable_KeepsTheSegmentsBothHave_AndCountsTheRestAsLeftBehind()
    {
        int count = SegmentTable.LeafSize + 3;
        byte[][] segments = Segments(count, size: _ => 5);
        SegmentTable old = SegmentTable.Of(segments);

        SegmentTable.Builder grow = old.Edit((2 * SegmentTable.LeafSize) + 1);
        for (int i = count; i < grow.Count; i++)
        {
            grow[i] = new byte[1];
        }

        SegmentTable grown = grow.ToTable();
        Assert.Equal((2 * SegmentTable.LeafSize) + 1, grown.Count);
        Assert.All(Enumerable.Range(0, count), i => Assert.Same(old[i], grown[i]));
        // Only the root and the last, shorter leaf were made again; the segments are all kept.
        Assert.Equal(
            SegmentTable.ArrayOverheadBytes + (2 * sizeof(long)) + SegmentTable.ArrayOverheadBytes + (3 * sizeof(long)),
            old.BytesNotIn(grown));

        SegmentTable shrunk = old.Edit(SegmentTable.LeafSize - 1).ToTable();
        long notKept = SegmentTable.ArrayOverheadBytes + (2 * sizeof(long)) // the old root
            + (2 * SegmentTable.ArrayOverheadBytes) + (count * (long)sizeof(long)) // both old leaves
            + (4 * (SegmentTable.ArrayOverheadBytes + 5L)); // the four segments past the new end
        Assert.Equal(notKept, old.BytesNotIn(shrunk));
        Assert.Equal(shrunk.HeldBytesOfArrays(), shrunk.ReferenceBytes + ((SegmentTable.LeafSize - 1) * (SegmentTable.ArrayOverheadBytes + 5L)));
    }

    [Fact]
    public void ToTable_WithASegmentNeverSet_Throws()
    {
        SegmentTable old = SegmentTable.Of(Segments(3, size: _ => 1));
        SegmentTable.Builder grow = old.Edit(5);
        grow[3] = [];

        var thrown = Assert.Throws<InvalidOperationException>(grow.ToTable);
        Assert.Contains("segment 4 of a table of 5", thrown.Message);
    }

    private static byte[][] Segments(int count, Func<int, int> size) => [.. Enumerable.Range(0, count).Select(i => new byte[size(i)])];
}
