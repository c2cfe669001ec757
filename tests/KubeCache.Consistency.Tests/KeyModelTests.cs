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
        key.Record(new SetOp("v1"), Replies.Ok, 0, 1, "c", "router-1", lagging: false);
        return key;
    }
}
