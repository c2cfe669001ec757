using KubeCache.Router.Tests.Resp.Support;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.Router.Tests.Resp;

/// <summary>
/// While the ring has a previous generation (DESIGN §4): node-1 has just joined node-0, so keys
/// now owned by node-1 may still be at node-0. Reads fall back and repair; deletes reach both.
/// </summary>
public sealed class RebalanceTests : IAsyncLifetime
{
    private RouterCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await RouterCluster.StartAsync(2, members => new RingDocument
    {
        Cluster = "test",
        Epoch = 2,
        Members = members,
        Previous = new RingGeneration(1, [members[0]], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>A fresh key owned by node-1 now and by node-0 before.</summary>
    private string MovingKey(string prefix) => RouterCluster.FindKey(prefix, k => _cluster.OwnerOf(k) == "node-1");

    private string StayingKey(string prefix) => RouterCluster.FindKey(prefix, k => _cluster.OwnerOf(k) == "node-0");

    [Fact]
    public async Task Get_KeyOnlyAtPreviousOwner_ReturnsItAndRepairsItWithItsTtl()
    {
        string key = MovingKey("fallback");
        await using RespTestClient old = await _cluster.ConnectToNodeAsync("node-0");
        await using RespTestClient owner = await _cluster.ConnectToNodeAsync("node-1");
        Reply.Ok(await old.CallAsync("SET", key, "old-value", "EX", "100"));
        await using RespTestClient client = await _cluster.ConnectAsync();

        Reply.Bulk("old-value", await client.CallAsync("GET", key));

        Reply.Bulk("old-value", await owner.CallAsync("GET", key));
        Assert.InRange((await owner.CallAsync("PTTL", key)).AsInt64(), 90_000, 100_000);
    }

    [Fact]
    public async Task MGet_MovingKeyOnlyAtPreviousOwner_FallsBackInRequestOrder()
    {
        string moving = MovingKey("mget-moving"), staying = StayingKey("mget-staying");
        await using RespTestClient old = await _cluster.ConnectToNodeAsync("node-0");
        Reply.Ok(await old.CallAsync("MSET", moving, "m", staying, "s"));
        await using RespTestClient client = await _cluster.ConnectAsync();

        Reply.Items(await client.CallAsync("MGET", staying, moving, MovingKey("mget-missing")), "s", "m", null);
    }

    [Fact]
    public async Task Del_KeyAtBothOwners_RemovesItAtBothAndCountsItOnce()
    {
        string key = MovingKey("del");
        await using RespTestClient old = await _cluster.ConnectToNodeAsync("node-0");
        await using RespTestClient owner = await _cluster.ConnectToNodeAsync("node-1");
        Reply.Ok(await old.CallAsync("SET", key, "old"));
        Reply.Ok(await owner.CallAsync("SET", key, "new"));
        await using RespTestClient client = await _cluster.ConnectAsync();

        Reply.Integer(1, await client.CallAsync("DEL", key));

        Reply.Integer(0, await old.CallAsync("EXISTS", key));
        Reply.Integer(0, await owner.CallAsync("EXISTS", key));
    }

    [Fact]
    public async Task DelAndExists_ManyKeysMovingAndStaying_CountEachKeyOnceAndRemoveEverywhere()
    {
        string atBoth = MovingKey("both"), atOld = MovingKey("old"), staying = StayingKey("stay"), missing = MovingKey("none");
        await using RespTestClient old = await _cluster.ConnectToNodeAsync("node-0");
        await using RespTestClient owner = await _cluster.ConnectToNodeAsync("node-1");
        Reply.Ok(await old.CallAsync("MSET", atBoth, "o", atOld, "o", staying, "s"));
        Reply.Ok(await owner.CallAsync("SET", atBoth, "n"));
        await using RespTestClient client = await _cluster.ConnectAsync();

        Reply.Integer(4, await client.CallAsync("EXISTS", atBoth, atOld, staying, missing, atOld));
        Reply.Integer(3, await client.CallAsync("UNLINK", atBoth, atOld, staying, missing, atBoth));

        Reply.Integer(0, await old.CallAsync("EXISTS", atBoth, atOld, staying));
        Reply.Integer(0, await owner.CallAsync("EXISTS", atBoth, atOld, staying));
    }

    [Fact]
    public async Task GetDel_KeyOnlyAtPreviousOwner_ReturnsItAndLeavesNoCopy()
    {
        string key = MovingKey("getdel");
        await using RespTestClient old = await _cluster.ConnectToNodeAsync("node-0");
        Reply.Ok(await old.CallAsync("SET", key, "old-value"));
        await using RespTestClient client = await _cluster.ConnectAsync();

        Reply.Bulk("old-value", await client.CallAsync("GETDEL", key));

        Reply.Integer(0, await old.CallAsync("EXISTS", key));
        Reply.Nil(await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task Incr_KeyOnlyAtPreviousOwner_CountsOnFromTheHandedOffValue()
    {
        string key = MovingKey("incr");
        await using RespTestClient old = await _cluster.ConnectToNodeAsync("node-0");
        Reply.Ok(await old.CallAsync("SET", key, "41"));
        await using RespTestClient client = await _cluster.ConnectAsync();

        Reply.Integer(42, await client.CallAsync("INCR", key));
    }
}
