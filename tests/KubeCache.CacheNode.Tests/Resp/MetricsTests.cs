using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>RESP traffic shows up in GET /metrics; a node of its own keeps the connection count exact.</summary>
public sealed class MetricsTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task Metrics_AfterRespGets_CountsOkRequests()
    {
        await using (RespTestClient client = await fixture.ConnectAsync())
        {
            RespReply.Ok(await client.CallAsync("SET", "m", "v"));
            RespReply.Bulk("v", await client.CallAsync("GET", "m"));
            RespReply.Nil(await client.CallAsync("GET", "missing"));
            RespReply.Error("ERR", await client.CallAsync("GET"));
        }

        string metrics = await ScrapeAsync();
        Assert.True(PrometheusSamples.Sample(metrics, "kvcache_requests_total", """command="get",protocol="resp",result="ok" """.Trim()) >= 2, metrics);
        Assert.True(PrometheusSamples.Sample(metrics, "kvcache_requests_total", """command="get",protocol="resp",result="error" """.Trim()) >= 1, metrics);
    }

    [Fact]
    public async Task Metrics_OpenRespConnection_CountedUntilClosed()
    {
        await Poll.UntilAsync(async () => RespConnections(await ScrapeAsync()) == 0, "no open RESP connections");
        await using (RespTestClient client = await fixture.ConnectAsync())
        {
            RespReply.Simple("PONG", await client.CallAsync("PING"));
            Assert.Equal(1, RespConnections(await ScrapeAsync()));
        }

        await Poll.UntilAsync(async () => RespConnections(await ScrapeAsync()) == 0, "the closed RESP connection to be uncounted");
    }

    private static double RespConnections(string metrics) => PrometheusSamples.Sample(metrics, "kvcache_connections", """protocol="resp" """.Trim());

    private Task<string> ScrapeAsync() => PrometheusSamples.ScrapeAsync(fixture.Http);
}
