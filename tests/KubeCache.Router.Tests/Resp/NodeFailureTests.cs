using System.Diagnostics;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>A stopped node: its keys fail fast with an error naming it, the other node's keys keep working.</summary>
public sealed class NodeFailureTests
{
    [Fact]
    public async Task Commands_OwnerStopped_FailFastNamingItWhileOtherKeysWork()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(2, fenced: false, configure: o => o.UpstreamTimeout = TimeSpan.FromMilliseconds(500));
        string lost = RouterCluster.FindKey("lost", k => cluster.OwnerOf(k) == "node-1");
        string kept = RouterCluster.FindKey("kept", k => cluster.OwnerOf(k) == "node-0");
        await using RespTestClient client = await cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("MSET", lost, "1", kept, "0"));
        string address = cluster.Ring.Members[1].Resp;

        await cluster.StopNodeAsync("node-1");

        var elapsed = Stopwatch.StartNew();
        RespValue get = await client.CallAsync("GET", lost);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(2), $"GET of a stopped node's key took {elapsed.Elapsed}.");
        RespReply.Error($"ERR node node-1 ({address})", get);
        RespReply.Error("ERR node node-1", await client.CallAsync("SET", lost, "x"));
        RespReply.Error("ERR node node-1", await client.CallAsync("MGET", kept, lost));
        RespReply.Error("ERR node node-1", await client.CallAsync("DBSIZE"));
        RespReply.Bulk("0", await client.CallAsync("GET", kept));
        RespReply.Ok(await client.CallAsync("SET", kept, "still"));
        Assert.Contains("nodes_down_names:node-1", (await client.CallAsync("INFO")).AsString(), StringComparison.Ordinal);
    }
}
