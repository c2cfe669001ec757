using System.Globalization;
using System.Text.RegularExpressions;
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
        Assert.True(Sample(metrics, "kvcache_requests_total", """command="get",protocol="resp",result="ok" """.Trim()) >= 2, metrics);
        Assert.True(Sample(metrics, "kvcache_requests_total", """command="get",protocol="resp",result="error" """.Trim()) >= 1, metrics);
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

    private static double RespConnections(string metrics) => Sample(metrics, "kvcache_connections", """protocol="resp" """.Trim());

    private async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{fixture.Http}"), Timeout = TimeSpan.FromSeconds(30) };
        return await http.GetStringAsync("/metrics");
    }

    /// <summary>The value of the sample with exactly these labels; fails when there is none.</summary>
    private static double Sample(string metrics, string name, string labels)
    {
        Match match = Regex.Match(metrics, $@"(?m)^{Regex.Escape(name)}\{{{Regex.Escape(labels)}\}} (\S+)");
        Assert.True(match.Success, $"No sample {name}{{{labels}}} in:\n{metrics}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
