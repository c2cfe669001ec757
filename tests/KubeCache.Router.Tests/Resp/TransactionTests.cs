using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>Transactions through the router: run on the one owner of their keys, refused before anything applies when the keys have several.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed class TransactionTests(RouterClusterFixture fixture)
{
    private RouterCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Exec_KeysOfOneOwner_RunOnThatOwner()
    {
        string first = RouterCluster.FindKey("tx-one-", _ => true);
        string owner = Cluster.OwnerOf(first);
        string second = RouterCluster.FindKey("tx-one-", k => k != first && Cluster.OwnerOf(k) == owner);
        await using RespTestClient client = await Cluster.ConnectAsync();

        RespReply.Ok(await client.CallAsync("MULTI"));
        RespReply.Simple("QUEUED", await client.CallAsync("SET", first, "1"));
        RespReply.Simple("QUEUED", await client.CallAsync("MSET", first, "2", second, "3"));
        RespReply.Simple("QUEUED", await client.CallAsync("MGET", first, second));
        RespValue exec = await client.CallAsync("EXEC");

        RespReply.Items(exec.Items[2], "2", "3");
        await using RespTestClient node = await Cluster.ConnectToNodeAsync(owner);
        RespReply.Bulk("2", await node.CallAsync("GET", first));
        RespReply.Bulk("3", await node.CallAsync("GET", second));
    }

    [Fact]
    public async Task Multi_KeysOfTwoOwners_CrossSlotThenExecAbortAndNothingApplied()
    {
        string first = RouterCluster.FindKey("tx-two-", _ => true);
        string second = RouterCluster.FindKey("tx-two-", k => Cluster.OwnerOf(k) != Cluster.OwnerOf(first));
        await using RespTestClient client = await Cluster.ConnectAsync();

        RespReply.Ok(await client.CallAsync("MULTI"));
        RespReply.Simple("QUEUED", await client.CallAsync("SET", first, "1"));
        RespReply.Error("CROSSSLOT Keys in request don't hash to the same slot", await client.CallAsync("SET", second, "2"));
        RespReply.Error("EXECABORT", await client.CallAsync("EXEC"));

        RespReply.Nil(await client.CallAsync("GET", first));
        RespReply.Nil(await client.CallAsync("GET", second));
    }

    [Fact]
    public async Task Watch_KeysOfTwoOwners_CrossSlot()
    {
        string first = RouterCluster.FindKey("tx-watch-", _ => true);
        string second = RouterCluster.FindKey("tx-watch-", k => Cluster.OwnerOf(k) != Cluster.OwnerOf(first));
        await using RespTestClient client = await Cluster.ConnectAsync();

        RespReply.Error("CROSSSLOT", await client.CallAsync("WATCH", first, second));
        RespReply.Ok(await client.CallAsync("WATCH", first));
        RespReply.Ok(await client.CallAsync("MULTI"));
        RespReply.Error("CROSSSLOT", await client.CallAsync("SET", second, "x"));
        RespReply.Error("EXECABORT", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Multi_CommandTheRouterAnswersOverEveryNode_RefusedThenExecAbort()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();

        RespReply.Ok(await client.CallAsync("MULTI"));
        RespReply.Error("ERR 'dbsize' cannot run inside MULTI", await client.CallAsync("DBSIZE"));
        RespReply.Error("EXECABORT", await client.CallAsync("EXEC"));
    }
}
