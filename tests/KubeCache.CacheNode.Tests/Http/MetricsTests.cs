using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Http;

/// <summary>GET /metrics: request counters, and exposition text that Prometheus accepts.</summary>
public sealed class MetricsTests
{
    private const string PutOkSeries = """kvcache_requests_total{command="put",protocol="http",result="ok"}""";

    [Fact]
    public async Task Metrics_AfterPuts_PutCounterIncreases()
    {
        await using TestNode node = await TestNode.StartAsync();
        await node.PutAsync("warm", "v");
        long before = Counter(await ScrapeAsync(node), PutOkSeries);

        await node.PutAsync("a", "1");
        await node.PutAsync("b", "2");

        Assert.Equal(before + 2, Counter(await ScrapeAsync(node), PutOkSeries));
    }

    /// <summary>Regression: every node's exporter listened to every node's meter in the process, so counts mixed and fell when a node stopped.</summary>
    [Fact]
    public async Task Metrics_TwoNodesInOneProcess_EachCountsOnlyItsOwnRequests()
    {
        await using TestNode first = await TestNode.StartAsync();
        await using TestNode second = await TestNode.StartAsync(o => o.MaxMemoryBytes = 32L << 20);

        for (int i = 0; i < 3; i++)
        {
            await first.PutAsync("k" + i, "v");
        }

        await second.PutAsync("other", "v");

        Assert.Equal(3, Counter(await ScrapeAsync(first), PutOkSeries));
        Assert.Equal(1, Counter(await ScrapeAsync(second), PutOkSeries));
        Assert.Contains("\nkvcache_memory_limit_bytes 33554432\n", await ScrapeAsync(second), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ContentType_IsPrometheusText()
    {
        await using TestNode node = await TestNode.StartAsync();

        using HttpResponseMessage response = await node.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Metrics_AfterTraffic_PassesPromtoolCheck()
    {
        await using TestNode node = await TestNode.StartAsync();
        await node.PutAsync("k", "v");
        await node.GetKeyAsync("k");
        await node.GetKeyAsync("absent");
        await node.PostAsync("/put", "not json");
        await node.GetAsync("/nowhere");
        string body = await ScrapeAsync(node);

        var (exitCode, output) = await Promtool.CheckMetricsAsync(body);

        Assert.True(exitCode == 0, $"promtool check metrics exited {exitCode}:\n{output}\n--- input ---\n{body}");
    }

    private static async Task<string> ScrapeAsync(TestNode node)
    {
        Reply reply = await node.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body;
    }

    private static long Counter(string metrics, string series)
    {
        Match match = Regex.Match(metrics, "^" + Regex.Escape(series) + " ([0-9]+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{series} is not in /metrics:\n{metrics}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
