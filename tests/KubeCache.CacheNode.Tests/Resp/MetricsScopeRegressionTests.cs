using System.Text.RegularExpressions;
using KubeCache.CacheNode.Hosting;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>
/// Regression: the exporter picked meters by name, which is process-wide, so with two nodes in one
/// process each node's /metrics also listed the other node's series (two
/// <c>kvcache_connections{protocol="resp"}</c> samples, the first often someone else's).
/// </summary>
public sealed class MetricsScopeRegressionTests
{
    [Fact]
    public async Task Metrics_TwoNodesInOneProcess_EachExportsOnlyItsOwnSeries()
    {
        await using CacheNodeServer quiet = await TestNodes.StartAsync();
        await using CacheNodeServer busy = await TestNodes.StartAsync();
        await using RespTestClient client = await RespTestClient.ConnectAsync(busy.RespEndPoint!);
        RespReply.Nil(await client.CallAsync("GET", "missing"));

        string quietMetrics = await ScrapeAsync(quiet);
        string[] connections = Samples(quietMetrics, """kvcache_connections{protocol="resp"}""");
        Assert.Equal(["0"], connections);
        string[] gets = Samples(quietMetrics, """kvcache_requests_total{command="get",protocol="resp",result="ok"}""");
        Assert.True(gets is [] or ["0"], $"The quiet node reports GETs it never served: [{string.Join(", ", gets)}]");

        string busyMetrics = await ScrapeAsync(busy);
        Assert.Equal(["1"], Samples(busyMetrics, """kvcache_connections{protocol="resp"}"""));
        Assert.Equal(["1"], Samples(busyMetrics, """kvcache_requests_total{command="get",protocol="resp",result="ok"}"""));
    }

    private static async Task<string> ScrapeAsync(CacheNodeServer node)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return await http.GetStringAsync($"http://{node.HttpEndPoint}/metrics");
    }

    private static string[] Samples(string metrics, string series) =>
        [.. Regex.Matches(metrics, $@"(?m)^{Regex.Escape(series)} (\S+)").Select(m => m.Groups[1].Value)];
}
