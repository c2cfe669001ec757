using KubeCache.Consistency.Tests.History;

namespace KubeCache.Consistency.Tests;

/// <summary>The checker's rule for writes through a router that lags behind a deadline finish.</summary>
public sealed class KeyModelTests
{
    [Fact]
    public void Record_WriteThroughLaggingRouterWhileDeadlineFinishOpen_MayBeMissingLater()
    {
        KeyModel key = Written();
        key.MayBeLost(20);
        Assert.True(key.Record(new SetOp("v2"), Replies.Ok, 30, 31, "c", "router-0", lagging: true));
        key.RoutersCaughtUp();

        key.Record(new GetOp(), Replies.Nil, 40, 41, "c", "router-1", lagging: false);

        Assert.Null(key.Violation);
    }

    /// <summary>
    /// Seed 4002's shape: the write lands at the previous owner, whose copy the finish discards; a
    /// read through another lagging router sees it there before it goes. That read does not make
    /// the write any safer than the write itself was.
    /// </summary>
    [Fact]
    public void Record_WriteThroughLaggingRouterReadBackThroughAnotherLaggingRouter_MayStillBeMissingLater()
    {
        KeyModel key = Written();
        key.MayBeLost(20);
        Assert.True(key.Record(new IncrOp(1), ":1", 30, 31, "c", "router-0", lagging: true));
        Assert.True(key.Record(new GetOp(), "$1", 32, 33, "c", "router-2", lagging: true));
        key.RoutersCaughtUp();

        key.Record(new IncrOp(95), ":95", 40, 41, "c", "router-1", lagging: false);

        Assert.Null(key.Violation);
    }

    [Fact]
    public void Record_WriteThroughLaggingRouterAfterRoutersCaughtUp_MissingIsLostKey()
    {
        KeyModel key = Written();
        key.MayBeLost(20);
        key.RoutersCaughtUp();
        key.Record(new SetOp("v2"), Replies.Ok, 30, 31, "c", "router-0", lagging: true);

        key.Record(new GetOp(), Replies.Nil, 40, 41, "c", "router-1", lagging: false);

        Assert.Equal(ViolationKind.LostKey, key.Violation?.Kind);
    }

    private static KeyModel Written()
    {
        var key = new KeyModel("k", "c");
        key.Record(new SetOp("0"), Replies.Ok, 0, 1, "c", "router-1", lagging: false);
        return key;
    }
}
