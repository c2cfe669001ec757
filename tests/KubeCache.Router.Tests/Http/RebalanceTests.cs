using System.Net;
using KubeCache.Topology;

namespace KubeCache.Router.Tests.Http;

/// <summary>
/// While the ring has a <c>previous</c> generation (node-2 joining node-0 and node-1), reads fall
/// back to the previous owner and repair the new one, and deletes reach both owners.
/// </summary>
public sealed class RebalanceTests : IAsyncLifetime
{
    private RouterCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RouterCluster.StartAsync(3, ringSize: 2);
        IReadOnlyList<RingMember> before = _cluster.Members.Take(2).ToList();
        await _cluster.PublishAsync(RouterCluster.Document(2, _cluster.Members, new RingGeneration(1, before, 0)));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>A key that moves to node-2, with the index of the node that owned it before.</summary>
    private (string Key, int Previous) MovedKey(string prefix)
    {
        Ring previous = _cluster.Router.Routes.Routes!.Previous!;
        string key = RouterCluster.KeyWhere(prefix, k => _cluster.OwnerOf(k) == 2);
        return (key, _cluster.IndexOf(previous.OwnerOf(System.Text.Encoding.UTF8.GetBytes(key))));
    }

    [Fact]
    public async Task Get_KeyOnlyAtPreviousOwner_ReturnedAndRepairedToNewOwner()
    {
        (string key, int previous) = MovedKey("moved");
        _cluster.Store(previous, key, "old home");

        Assert.Equal("old home", await _cluster.GetValueAsync(key));

        Assert.Equal("old home", _cluster.Stored(2, key));
    }

    [Fact]
    public async Task Get_KeyAtNewOwner_NewOwnersValueWins()
    {
        (string key, int previous) = MovedKey("newer");
        _cluster.Store(previous, key, "stale");
        (await _cluster.PutAsync(key, "fresh")).Is(HttpStatusCode.OK, Reply.PutOk);

        Assert.Equal("fresh", await _cluster.GetValueAsync(key));
        Assert.Equal("fresh", _cluster.Stored(2, key));
    }

    [Fact]
    public async Task Delete_KeyAtBothOwners_RemovedAtBoth()
    {
        (string key, int previous) = MovedKey("deleted");
        _cluster.Store(previous, key, "old");
        _cluster.Store(2, key, "new");

        (await _cluster.SendAsync(HttpMethod.Delete, "/delete?key=" + key)).Is(HttpStatusCode.OK, """{"status":"OK","message":"Key deleted."}""");

        Assert.Equal((null, null), (_cluster.Stored(previous, key), _cluster.Stored(2, key)));
        (await _cluster.GetKeyAsync(key)).Is(HttpStatusCode.NotFound, Reply.Miss);
    }

    [Fact]
    public async Task BatchGet_KeysOnlyAtPreviousOwners_ReturnedInOrderAndRepaired()
    {
        (string moved, int previous) = MovedKey("batch-moved");
        string stays = RouterCluster.KeyWhere("batch-stays", k => _cluster.OwnerOf(k) != 2);
        string absent = RouterCluster.KeyWhere("batch-absent", k => _cluster.OwnerOf(k) == 2);
        _cluster.Store(previous, moved, "m");
        _cluster.Store(_cluster.OwnerOf(stays), stays, "s");

        Reply reply = await _cluster.GetAsync($"/batch_get?keys={absent},{moved},{stays}");

        reply.Is(HttpStatusCode.OK, $$"""{"status":"OK","values":{"{{moved}}":"m","{{stays}}":"s"},"missing":["{{absent}}"]}""");
        Assert.Equal("m", _cluster.Stored(2, moved));
    }

    [Fact]
    public async Task Stats_DuringRebalance_ReportsRebalancing()
    {
        Reply reply = await _cluster.GetAsync("/stats");

        using var json = System.Text.Json.JsonDocument.Parse(reply.Body);
        Assert.Equal((2, true, 3), (json.RootElement.GetProperty("epoch").GetInt32(), json.RootElement.GetProperty("rebalancing").GetBoolean(),
            json.RootElement.GetProperty("members").GetInt32()));
    }

    [Fact]
    public async Task RingEpoch_DuringRebalance_ReportsTheEpochApplied()
    {
        Reply reply = await _cluster.GetAsync("/ring/epoch");

        reply.Is(HttpStatusCode.OK, """{"status":"OK","epoch":2,"rebalancing":true}""");
        Assert.Equal(2, KubeCache.Topology.Json.RouterEpochJson.TryParse(System.Text.Encoding.UTF8.GetBytes(reply.Body)));
    }
}
