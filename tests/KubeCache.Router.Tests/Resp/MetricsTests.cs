using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>Every client command is counted by command and result, and every forwarded request by node.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed class MetricsTests(RouterClusterFixture fixture)
{
    [Fact]
    public async Task Metrics_AfterRespCommands_CountRequestsByCommandAndUpstreamByNode()
    {
        RouterCluster cluster = fixture.Cluster;
        await using RespTestClient client = await cluster.ConnectAsync();
        string[] keys = [.. cluster.Ring.Members.Select(m => RouterCluster.FindKey("metrics", k => cluster.OwnerOf(k) == m.Name))];
        RespReply.Ok(await client.CallAsync(["MSET", .. keys.SelectMany(k => new[] { k, "v" })]));
        Assert.Equal(3, RespReply.Strings(await client.CallAsync(["MGET", .. keys])).Length);
        RespReply.Error("ERR unknown command", await client.CallAsync("NOSUCH"));

        using var http = new HttpClient();
        string metrics = await http.GetStringAsync($"http://127.0.0.1:{cluster.Router.HttpEndPoint.Port}/metrics");

        Assert.Matches("kvcache_router_requests_total\\{[^}]*command=\"mget\"[^}]*result=\"ok\"[^}]*\\} [1-9]", metrics);
        Assert.Matches("kvcache_router_requests_total\\{[^}]*command=\"unknown\"[^}]*result=\"error\"[^}]*\\} [1-9]", metrics);
        foreach (string node in cluster.Ring.Members.Select(m => m.Name))
        {
            Assert.Matches($"kvcache_router_upstream_requests_total\\{{[^}}]*node=\"{node}\"[^}}]*result=\"ok\"[^}}]*\\}} [1-9]", metrics);
        }
    }
}
