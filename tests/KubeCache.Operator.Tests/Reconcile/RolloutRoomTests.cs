using KubeCache.Operator.Reconcile;

namespace KubeCache.Operator.Tests.Reconcile;

public class RolloutRoomTests
{
    private static Dictionary<string, NodeBytes?> Memory(params (string Name, long Used, long Capacity)[] nodes) =>
        nodes.ToDictionary(n => n.Name, n => (NodeBytes?)new NodeBytes(n.Used, n.Capacity));

    [Fact]
    public void Check_EachOtherNodeHasRoomForItsShare_IsNull()
    {
        // demo-2's 300 bytes split over two nodes: 150 each, 250 of 300 used after.
        var memory = Memory(("demo-0", 100, 300), ("demo-1", 100, 300), ("demo-2", 300, 300));

        Assert.Null(RolloutRoom.Check("demo-2", memory));
    }

    [Fact]
    public void Check_TightestNodeCannotHoldItsShare_NamesItWithTheFiguresAndWhatToChange()
    {
        var memory = Memory(("demo-0", 100, 300), ("demo-1", 200, 300), ("demo-2", 301, 400));

        RoomShortfall shortfall = RolloutRoom.Check("demo-2", memory)!;

        Assert.Equal(("demo-2", 301L, 151L, "demo-1"), (shortfall.Leaving, shortfall.LeavingBytes, shortfall.ShareBytes, shortfall.Tightest));
        Assert.Equal(351, shortfall.NeededCapacityBytes);
        Assert.StartsWith(
            "demo-2 is not taken out of the ring: it holds 301 bytes, about 151 more for each remaining node, but demo-1 has 200 of its 300 bytes (maxMemory) in use and would need 351.",
            shortfall.Describe(), StringComparison.Ordinal);
        Assert.Contains("spec.replicas", shortfall.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ExactlyFull_IsNull()
    {
        Assert.Null(RolloutRoom.Check("demo-1", Memory(("demo-0", 100, 200), ("demo-1", 100, 100))));
    }

    [Fact]
    public void Check_MemberThatDoesNotReportItsMemory_Refuses()
    {
        var memory = Memory(("demo-0", 0, 300), ("demo-2", 10, 300));
        memory["demo-1"] = null;

        RoomShortfall shortfall = RolloutRoom.Check("demo-2", memory)!;

        Assert.Equal("demo-1", shortfall.Tightest);
        Assert.Null(shortfall.TightestMemory);
        Assert.Contains("does not report its memory", shortfall.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ALaterNodeWouldNotFit_RefusesBeforeTheFirstStep()
    {
        var memory = Memory(("demo-0", 100, 300), ("demo-1", 500, 600), ("demo-2", 10, 600));

        Assert.Null(RolloutRoom.Check("demo-2", memory));
        Assert.Equal("demo-1", RolloutRoom.Check(["demo-2", "demo-1"], memory)!.Leaving);
    }
}
