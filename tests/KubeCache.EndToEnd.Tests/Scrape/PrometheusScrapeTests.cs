using System.Globalization;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.FakeApiServer;
using KubeCache.Testing;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Scrape;

/// <summary>The real Prometheus scrapes the real processes' /metrics: every target up, kvcache_ series from each job.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class PrometheusScrapeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Prometheus_ScrapesNodeAndRouter_EveryTargetUpWithKvcacheSeries()
    {
        string logs = Directory.CreateTempSubdirectory("kubecache-scrape-").FullName;
        int nodePort = Ports.Free(), routerPort = Ports.Free();
        await using ChildProcess node = ChildProcess.Start(ChildProcess.DotnetHost,
            [ChildProcess.OutputDll("KubeCache.CacheNode.dll"), "--bind", "127.0.0.1", "--http-port", Str(nodePort), "--resp-port", Str(Ports.Free()), "--max-memory", "32mb"],
            new Dictionary<string, string>(), Path.Combine(logs, "node.log"));
        await using ChildProcess router = ChildProcess.Start(ChildProcess.DotnetHost,
            [ChildProcess.OutputDll("KubeCache.Local.dll"), "--bind", "127.0.0.1", "--http-port", Str(routerPort), "--resp-port", Str(Ports.Free()), "--local-nodes", "1", "--local-node-memory", "32mb"],
            new Dictionary<string, string>(), Path.Combine(logs, "router.log"));
        var jobs = new Dictionary<string, string[]>
        {
            ["kvcache-node"] = [$"127.0.0.1:{nodePort}"],
            ["kvcache-router"] = [$"127.0.0.1:{routerPort}"],
        };
        await using PrometheusServer prometheus = PrometheusServer.Start(jobs);
        try
        {
            await Poll.UntilAsync(async () =>
            {
                var up = await prometheus.QueryAsync("up");
                return up.Count == jobs.Count && up.All(s => s.Value == "1");
            }, "up == 1 for every target", Bound, TimeSpan.FromMilliseconds(500));
            await Poll.UntilAsync(async () =>
            {
                var series = await prometheus.QueryAsync("count by (job) ({__name__=~\"kvcache_.+\"})");
                return jobs.Keys.All(job => series.Any(s => s.Labels["job"]?.GetValue<string>() == job && int.Parse(s.Value, CultureInfo.InvariantCulture) > 0));
            }, "a kvcache_ series from every job", Bound, TimeSpan.FromMilliseconds(500));
        }
        catch
        {
            foreach (string log in new[] { node.LogFile, router.LogFile, prometheus.LogFile })
            {
                output.WriteLine($"== {log} ==\n{ChildProcess.Tail(log)}");
            }
            throw;
        }
    }

    [Fact]
    public async Task Prometheus_ScrapesOperator_UpWithKvcacheOperatorSeries()
    {
        await using var server = await FakeApiServer.FakeApiServer.StartAsync(new FakeApiServerOptions { Rbac = true, UseHttps = true });
        string logs = Directory.CreateTempSubdirectory("kubecache-scrape-").FullName;
        await using OperatorProcess op = OperatorProcess.Start(server, "operator-scrape", logs);
        var jobs = new Dictionary<string, string[]> { ["kvcache-operator"] = [$"127.0.0.1:{op.HttpPort}"] };
        await using PrometheusServer prometheus = PrometheusServer.Start(jobs);
        try
        {
            await Poll.UntilAsync(async () => (await prometheus.QueryAsync("up")) is [{ Value: "1" }], "up == 1 for the operator", Bound, TimeSpan.FromMilliseconds(500));
            await Poll.UntilAsync(
                async () => (await prometheus.QueryAsync("count({__name__=~\"kvcache_operator_.+\",job=\"kvcache-operator\"})")) is [{ Value: not "0" }],
                "a kvcache_operator_ series", Bound, TimeSpan.FromMilliseconds(500));
        }
        catch
        {
            output.WriteLine($"== operator ==\n{ChildProcess.Tail(op.Process.LogFile)}\n== prometheus ==\n{ChildProcess.Tail(prometheus.LogFile)}");
            throw;
        }
    }

    private static string Str(int port) => port.ToString(CultureInfo.InvariantCulture);
}
