using KubeCache.Router.Routing;
using KubeCache.Router.Upstream;
using KubeCache.Topology;

namespace KubeCache.Router.Tests.Routing;

public sealed class RoutesTests
{
    private static readonly RingMember A = new("a", "127.0.0.1:7001", "127.0.0.1:7101");
    private static readonly RingMember B = new("b", "127.0.0.1:7002", "127.0.0.1:7102");

    [Fact]
    public async Task OwnerOf_CurrentMember_IsThePoolsClientForIt()
    {
        await using var pool = new UpstreamPool();
        var table = new RouteTable(pool);
        table.Apply(Ring(1, A, B));

        Routes routes = table.Routes!;
        foreach (string key in new[] { "k1", "k2", "k3", "k4", "k5", "k6" })
        {
            (RingMember owner, NodeClient client) = routes.OwnerOf(System.Text.Encoding.UTF8.GetBytes(key));
            Assert.Same(pool.GetOrAdd(owner.Name, owner.Resp), client);
        }
    }

    /// <summary>A request still on an older snapshot whose member a newer ring dropped gets a working client, as a look-up by name gave it, not the retired one.</summary>
    [Fact]
    public async Task OwnerOf_MemberDroppedByANewerRing_GetsAClientThatIsNotRetired()
    {
        await using var pool = new UpstreamPool();
        var table = new RouteTable(pool);
        table.Apply(Ring(1, A));
        Routes old = table.Routes!;
        NodeClient before = old.OwnerOf("key"u8).Client;

        table.Apply(Ring(2, B));
        (RingMember owner, NodeClient client) = old.OwnerOf("key"u8);

        Assert.True(before.IsRetired);
        Assert.Equal("a", owner.Name);
        Assert.False(client.IsRetired);
        Assert.Equal(A.Resp, client.Address);
    }

    /// <summary>
    /// A member a newer ring names at another address (its pod came back with a new IP): a request
    /// still on the older snapshot reaches it where the newer ring says, and does not take the
    /// newer ring's client away (which would retire it, and the next request put it back).
    /// </summary>
    [Fact]
    public async Task OwnerOf_MemberMovedByANewerRing_UsesTheNewAddressAndLeavesItsClientInUse()
    {
        await using var pool = new UpstreamPool();
        var table = new RouteTable(pool);
        table.Apply(Ring(1, A));
        Routes old = table.Routes!;
        RingMember moved = A with { Resp = "127.0.0.1:7003" };
        table.Apply(Ring(2, moved));
        NodeClient current = table.Routes!.OwnerOf("key"u8).Client;

        NodeClient fromOld = old.OwnerOf("key"u8).Client;
        NodeClient sentTo = table.ClientFor(A);

        Assert.Same(current, fromOld);
        Assert.Same(current, sentTo);
        Assert.False(current.IsRetired);
        Assert.Equal(moved.Resp, current.Address);
    }

    private static RingDocument Ring(long epoch, params RingMember[] members) =>
        new() { Cluster = "routes-test", Epoch = epoch, Members = members };
}
