using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Storage;
using KubeCache.Testing;
using KubeCache.Topology;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.Router.Tests.Fencing;

/// <summary>Transactions across a ring change: node b joins node a; a transaction runs whole on the key's owner or not at all.</summary>
public sealed class TransactionFencingTests : IAsyncLifetime
{
    private readonly SplitRingCluster _cluster = new();
    private RingDocument _one = null!;
    private RingDocument _twoStarted = null!;
    private RingDocument _twoFinished = null!;

    public async Task InitializeAsync()
    {
        (_one, _twoStarted, _twoFinished) = _cluster.ReserveBJoiningA();
        await _cluster.StartRouterAsync();
        await _cluster.StartNodeAsync("a");
        await _cluster.StartNodeAsync("b");
        await _cluster.PublishAsync(_one, "router", "a", "b");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Exec_RouterOnPreviousEpochAfterHandoff_RunsWholeOnTheNewOwner()
    {
        string key = SplitRingCluster.KeyOwnedBy(_twoFinished, "b", "tx-lagging");
        await using RespTestClient client = await _cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v1"));
        await _cluster.PublishAsync(_twoStarted, "a", "b");
        await _cluster.WaitForHandoffDoneAsync("a", 2);

        RespReply.Ok(await client.CallAsync("MULTI"));
        RespReply.Simple("QUEUED", await client.CallAsync("APPEND", key, "+a"));
        RespReply.Simple("QUEUED", await client.CallAsync("APPEND", key, "+b"));
        Protocol.RespValue exec = await client.CallAsync("EXEC");

        RespReply.Integer(4, exec.Items[0]);
        RespReply.Integer(6, exec.Items[1]);
        await _cluster.PublishAsync(_twoFinished, "a", "b", "router");
        RespReply.Bulk("v1+a+b", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task Exec_KeyMovedAwayAfterQueueing_RefusedWholeAndNothingApplied()
    {
        string staying = SplitRingCluster.KeyOwnedBy(_twoFinished, "a", "tx-staying");
        string moving = SplitRingCluster.KeyOwnedBy(_twoFinished, "b", "tx-moving");
        await using RespTestClient node = await _cluster.ConnectToNodeAsync("a");

        RespReply.Ok(await node.CallAsync("MULTI"));
        RespReply.Simple("QUEUED", await node.CallAsync("SET", staying, "1"));
        RespReply.Simple("QUEUED", await node.CallAsync("SET", moving, "2"));
        await _cluster.PublishAsync(_twoStarted, "a");
        await Poll.UntilAsync(() => _cluster.Node("a").Services.GetRequiredService<NodeRing>().Current?.Epoch == 2, "node a takes epoch 2");

        RespReply.Error("KVMOVED", await node.CallAsync("EXEC"));
        CacheStore store = _cluster.Node("a").Store;
        Assert.NotEqual(StoreStatus.Ok, store.Peek(System.Text.Encoding.UTF8.GetBytes(staying), out _, out _));
    }
}
