using System.Diagnostics;
using System.Net;
using System.Text.Json;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Http;

/// <summary>A node that cannot answer gives a fast 503 naming it; the other nodes' keys keep working.</summary>
public sealed class NodeDownTests
{
    /// <summary>A bound that catches a hang, not a performance assertion: failing fast takes milliseconds.</summary>
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Get_OwnerStopped_503NamingTheNodeWhileOtherKeysWork()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(3);
        string lost = RouterCluster.FindKey("lost", k => cluster.OwnerOf(k) == "node-1");
        string kept = RouterCluster.FindKey("kept", k => cluster.OwnerOf(k) == "node-0");
        await cluster.PutAsync(lost, "v");
        await cluster.PutAsync(kept, "v");
        string address = cluster.Members[1].Resp;

        await cluster.StopNodeAsync("node-1");
        var watch = Stopwatch.StartNew();
        Reply get = await cluster.GetKeyAsync(lost);
        TimeSpan elapsed = watch.Elapsed;

        get.IsError(HttpStatusCode.ServiceUnavailable, $"node node-1 ({address}) is down: ");
        Assert.True(elapsed < FailFast, $"the 503 took {elapsed}");
        (await cluster.PutAsync(lost, "w")).IsError(HttpStatusCode.ServiceUnavailable, "node node-1");
        (await cluster.SendAsync(HttpMethod.Delete, "/delete?key=" + lost)).IsError(HttpStatusCode.ServiceUnavailable, "node node-1");
        (await cluster.GetAsync($"/batch_get?keys={kept},{lost}")).IsError(HttpStatusCode.ServiceUnavailable, "node node-1");
        Assert.Equal("v", await cluster.GetValueAsync(kept));
        (await cluster.PutAsync(kept, "still")).Is(HttpStatusCode.OK, Reply.PutOk);
    }

    [Fact]
    public async Task Stats_OneNodeStopped_ReportsItDown()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(2);
        await cluster.StopNodeAsync("node-0");

        Reply reply = await cluster.GetAsync("/stats");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        using JsonDocument json = JsonDocument.Parse(reply.Body);
        Assert.Equal(1, json.RootElement.GetProperty("nodesDown").GetInt32());
        JsonElement down = json.RootElement.GetProperty("nodes")[0];
        Assert.True(down.GetProperty("down").GetBoolean());
        Assert.Equal(JsonValueKind.Null, down.GetProperty("items").ValueKind);
        Assert.False(string.IsNullOrEmpty(down.GetProperty("error").GetString()));
        Assert.False(json.RootElement.GetProperty("nodes")[1].GetProperty("down").GetBoolean());
    }

    [Fact]
    public async Task Get_NoRingYet_503()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 0, writeRing: false);

        Reply reply = await cluster.GetAsync("/get?key=a");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
        Assert.Contains("no ring yet", reply.Body, StringComparison.Ordinal);
    }
}
