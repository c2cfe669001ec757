using System.Net;
using System.Text;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.Router.Tests.Fencing;

/// <summary>
/// b joins a. The router and b use the new ring; a has not seen it yet, so keys that now belong
/// to b are still at a. Whatever a command does to such a key, b takes it from a first (bringing
/// a onto the new ring), so the key is served by b alone and a keeps no copy.
/// </summary>
public sealed class RebalanceTests : IAsyncLifetime
{
    private readonly SplitRingCluster _cluster = new();
    private RingDocument _moving = null!;

    public async Task InitializeAsync()
    {
        (RingDocument one, _moving, _) = _cluster.ReserveBJoiningA();
        await _cluster.StartRouterAsync();
        await _cluster.StartNodeAsync("a");
        await _cluster.StartNodeAsync("b");
        await _cluster.PublishAsync(one, "router", "a", "b");
    }

    /// <summary>The router and b take the new ring; a does not.</summary>
    private Task MoveAsync() => _cluster.PublishAsync(_moving, "router", "b");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private CacheStore Store(string node) => _cluster.Node(node).Store;

    /// <summary>A fresh key that b owns in the new ring, written at a before the ring changes.</summary>
    private string AtPreviousOwner(string prefix, string value, Expiry expiry = default)
    {
        string key = SplitRingCluster.KeyOwnedBy(_moving, "b", prefix);
        Assert.Equal(StoreStatus.Ok, Store("a").Set(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), expiry));
        return key;
    }

    private bool Holds(string node, string key) => Store(node).Peek(Encoding.UTF8.GetBytes(key), out _, out _) == StoreStatus.Ok;

    [Fact]
    public async Task Get_KeyOnlyAtPreviousOwner_NewOwnerTakesItWithItsTtl()
    {
        string key = AtPreviousOwner("take", "old-value", Expiry.After(TimeSpan.FromSeconds(100)));
        await MoveAsync();
        await using RespTestClient client = await _cluster.ConnectAsync();

        RespReply.Bulk("old-value", await client.CallAsync("GET", key));

        Assert.False(Holds("a", key));
        await using RespTestClient owner = await _cluster.ConnectToNodeAsync("b");
        RespReply.Bulk("old-value", await owner.CallAsync("GET", key));
        Assert.InRange((await owner.CallAsync("PTTL", key)).AsInt64(), 90_000, 100_000);
    }

    [Fact]
    public async Task MGet_MovingKeyOnlyAtPreviousOwner_ReadInRequestOrder()
    {
        string moving = AtPreviousOwner("mget-moving", "m");
        string staying = SplitRingCluster.KeyOwnedBy(_moving, "a", "mget-staying");
        Store("a").Set(Encoding.UTF8.GetBytes(staying), "s"u8);
        await MoveAsync();
        await using RespTestClient client = await _cluster.ConnectAsync();

        RespReply.Items(await client.CallAsync("MGET", staying, moving, SplitRingCluster.KeyOwnedBy(_moving, "b", "mget-missing")), "s", "m", null);
    }

    [Fact]
    public async Task DelAndExists_KeysOnlyAtPreviousOwner_CountEachOnceAndLeaveNoCopy()
    {
        string atOld = AtPreviousOwner("del-old", "o"), missing = SplitRingCluster.KeyOwnedBy(_moving, "b", "del-none");
        string staying = SplitRingCluster.KeyOwnedBy(_moving, "a", "del-stay");
        Store("a").Set(Encoding.UTF8.GetBytes(staying), "s"u8);
        await MoveAsync();
        await using RespTestClient client = await _cluster.ConnectAsync();

        RespReply.Integer(3, await client.CallAsync("EXISTS", atOld, staying, missing, atOld));
        RespReply.Integer(2, await client.CallAsync("UNLINK", atOld, staying, missing, atOld));

        Assert.False(Holds("a", atOld) || Holds("b", atOld) || Holds("a", staying));
    }

    [Fact]
    public async Task GetDel_KeyOnlyAtPreviousOwner_ReturnsItAndLeavesNoCopy()
    {
        string key = AtPreviousOwner("getdel", "old-value");
        await MoveAsync();
        await using RespTestClient client = await _cluster.ConnectAsync();

        RespReply.Bulk("old-value", await client.CallAsync("GETDEL", key));

        Assert.False(Holds("a", key) || Holds("b", key));
        RespReply.Nil(await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task Incr_KeyOnlyAtPreviousOwner_CountsOnFromItsValue()
    {
        string key = AtPreviousOwner("incr", "41");
        await MoveAsync();
        await using RespTestClient client = await _cluster.ConnectAsync();

        RespReply.Integer(42, await client.CallAsync("INCR", key));
    }

    [Fact]
    public async Task SetRangeAndSetBit_KeyOnlyAtPreviousOwner_EditTheTakenValueAndKeepItsTtl()
    {
        string key = AtPreviousOwner("setrange", "Hello World", Expiry.After(TimeSpan.FromSeconds(100)));
        await MoveAsync();
        await using RespTestClient client = await _cluster.ConnectAsync();

        RespReply.Integer(11, await client.CallAsync("SETRANGE", key, "6", "Redis"));
        RespReply.Integer(0, await client.CallAsync("SETBIT", key, "2", "1"));

        RespReply.Bulk("hello Redis", await client.CallAsync("GET", key));
        Assert.False(Holds("a", key));
        Assert.InRange((await client.CallAsync("PTTL", key)).AsInt64(), 90_000, 100_000);
    }

    [Fact]
    public async Task Rename_SourceOnlyAtPreviousOwner_NewOwnerTakesItAndRenamesItWithItsTtl()
    {
        string source = AtPreviousOwner("rename-src", "v", Expiry.After(TimeSpan.FromSeconds(100)));
        string destination = SplitRingCluster.KeyOwnedBy(_moving, "b", "rename-dst");
        await MoveAsync();
        await using RespTestClient client = await _cluster.ConnectAsync();

        RespReply.Ok(await client.CallAsync("RENAME", source, destination));

        Assert.False(Holds("a", source) || Holds("b", source));
        RespReply.Bulk("v", await client.CallAsync("GET", destination));
        Assert.InRange((await client.CallAsync("PTTL", destination)).AsInt64(), 90_000, 100_000);
    }

    [Theory]
    [InlineData("SETRANGE", "{key}", "0", "v")]
    [InlineData("SETBIT", "{key}", "0", "1")]
    [InlineData("INCRBYFLOAT", "{key}", "1.5")]
    [InlineData("GETSET", "{key}", "v")]
    [InlineData("MSETNX", "{key}", "v")]
    [InlineData("RENAME", "{mine}", "{key}")]
    [InlineData("COPY", "{mine}", "{key}")]
    [InlineData("OBJECT", "ENCODING", "{key}")]
    public async Task Node_NewCommandOnKeyItDoesNotOwn_Redirects(string command, params string[] arguments)
    {
        string key = SplitRingCluster.KeyOwnedBy(_moving, "b", "redirect-" + command);
        string mine = SplitRingCluster.KeyOwnedBy(_moving, "a", "mine-" + command);
        await _cluster.PublishAsync(_moving, "a");
        await using RespTestClient node = await _cluster.ConnectToNodeAsync("a");

        RespValue reply = await node.CallAsync([command, .. arguments.Select(a => a.Replace("{key}", key).Replace("{mine}", mine))]);

        RespReply.Error($"KVMOVED 2 b {_cluster.Member("b").Resp}", reply);
    }

    [Fact]
    public async Task Node_KeyItDoesNotOwn_RedirectsNamingOwnerAndEpoch()
    {
        string key = SplitRingCluster.KeyOwnedBy(_moving, "b", "redirect");
        await _cluster.PublishAsync(_moving, "a");
        await using RespTestClient node = await _cluster.ConnectToNodeAsync("a");

        RespReply.Error($"KVMOVED 2 b {_cluster.Member("b").Resp}", await node.CallAsync("SET", key, "v"));
    }

    [Fact]
    public async Task HttpGetAndDelete_KeyOnlyAtPreviousOwner_ServedByNewOwner()
    {
        string kept = AtPreviousOwner("http-get", "old home"), deleted = AtPreviousOwner("http-del", "gone");
        await MoveAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_cluster.Router.HttpEndPoint}") };

        string body = await http.GetStringAsync("/batch_get?keys=" + kept);
        Assert.Contains("\"old home\"", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync("/delete?key=" + deleted)).StatusCode);

        Assert.True(Holds("b", kept) && !Holds("a", kept));
        Assert.False(Holds("a", deleted) || Holds("b", deleted));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/get?key=" + deleted)).StatusCode);
    }

    /// <summary>
    /// A new owner that cannot reach the previous owner does not know the key's state: through the
    /// router's HTTP API that is 503 (retry), not 400 (the client's mistake), as at a node.
    /// </summary>
    [Fact]
    public async Task HttpGet_PreviousOwnerUnreachableBeforeHandoff_ServiceUnavailable()
    {
        string key = SplitRingCluster.KeyOwnedBy(_moving, "b", "unreachable");
        await _cluster.StopNodeAsync("a");
        await _cluster.PublishAsync(_moving, "router", "b");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_cluster.Router.HttpEndPoint}") };

        using HttpResponseMessage response = await http.GetAsync("/get?key=" + key);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("the previous owner a", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_MissingKeyAfterPreviousOwnerFinishedAndStopped_IsAMissNotAnError()
    {
        string key = SplitRingCluster.KeyOwnedBy(_moving, "b", "after-stop");
        await _cluster.PublishAsync(_moving, "router", "a", "b");
        await _cluster.WaitForHandoffDoneAsync("a", 2);
        await _cluster.StopNodeAsync("a");
        await using RespTestClient client = await _cluster.ConnectAsync();

        RespReply.Nil(await client.CallAsync("GET", key));
    }
}
