using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.FakeApiServer;
using KubeCache.Testing;

namespace KubeCache.EndToEnd.Tests.Reliability;

/// <summary>
/// Each process, started for real with KVCACHE_INJECT_FAULTS naming some of its background
/// components, survives their failure: the failure is counted in
/// <c>kvcache_background_errors_total{component}</c>, the process keeps running and serving,
/// and the work the failed component does still gets done.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BackgroundFaultTests : IDisposable
{
    private const string ErrorsMetric = "kvcache_background_errors_total";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _logs = Directory.CreateTempSubdirectory("kubecache-faults-").FullName;

    [Fact]
    public async Task Node_FaultsInExpiryAndDeadlineTimer_CountedAndNodeServesAndExpires()
    {
        await using ServerProcess node = await Servers.StartNodeAsync(_logs, Faults("expiry", "connection-deadlines"));

        await WaitCountedAsync(node, "expiry", "connection-deadlines");

        // The expiry loop started again: a key nobody reads again is removed by it.
        await using RespTestClient client = await RespTestClient.ConnectAsync(node.RespEndPoint);
        Assert.Equal("OK", (await client.CallAsync("SET", "short", "v", "PX", "100")).AsString());
        await Poll.UntilAsync(async () => await node.MetricAsync("kvcache_cache_expirations_total") >= 1, "active expiry to remove the key", Deadline);
        Assert.False(node.Process.HasExited);
    }

    [Fact]
    public async Task LocalRouter_FaultInUpstreamWatchdog_CountedAndRouterServes()
    {
        await using ServerProcess router = await Servers.StartLocalRouterAsync(_logs, nodes: 2, Faults("upstream-watchdog", "connection-deadlines"));
        await using RespTestClient client = await RespTestClient.ConnectAsync(router.RespEndPoint);

        // The watchdog runs on each upstream connection, which the first requests open.
        await Poll.UntilAsync(
            async () =>
            {
                await client.CallAsync("SET", "k", "v");
                return await router.MetricAsync(ErrorsMetric, "component=\"upstream-watchdog\"") >= 1;
            },
            "the injected watchdog fault to be counted",
            Deadline);
        await WaitCountedAsync(router, "upstream-watchdog", "connection-deadlines");

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal("OK", (await client.CallAsync("SET", $"key-{i}", "value")).AsString());
            Assert.Equal("value", (await client.CallAsync("GET", $"key-{i}")).AsString());
        }

        Assert.False(router.Process.HasExited);
    }

    [Fact]
    public async Task Operator_FaultsInInformersAndWorkers_CountedAndClusterStillReconciled()
    {
        await using FakeApiServer.FakeApiServer server = await FakeApiServer.FakeApiServer.StartAsync(new FakeApiServerOptions { Rbac = true, UseHttps = true });
        server.RegisterCrd(File.ReadAllText(RepoFiles.Path("crds", "kvclusters.kubecache.io.yaml")));
        await using OperatorProcess operatorProcess = OperatorProcess.Start(server, "operator-f", _logs, Faults("informers", "reconcile-workers"));

        server.Create(new JsonObject
        {
            ["apiVersion"] = "kubecache.io/v1alpha1",
            ["kind"] = "KvCluster",
            ["metadata"] = new JsonObject { ["name"] = "demo", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["replicas"] = 3 },
        });

        // Both loops failed once and started again: the cluster is still reconciled.
        await Poll.UntilAsync(() => server.Get("apps", "statefulsets", "default", "demo") is not null, "the StatefulSet to be created", Deadline);
        foreach (string component in new[] { "informers", "reconcile-workers" })
        {
            Assert.Equal(1, await MetricsText.ScrapeAsync(operatorProcess.HttpPort, ErrorsMetric, $"component=\"{component}\""));
        }

        Assert.False(operatorProcess.Process.HasExited);
    }

    public void Dispose() => Directory.Delete(_logs, recursive: true);

    private static Dictionary<string, string> Faults(params string[] components) =>
        new() { ["KVCACHE_INJECT_FAULTS"] = string.Join(',', components) };

    private static async Task WaitCountedAsync(ServerProcess server, params string[] components)
    {
        foreach (string component in components)
        {
            await Poll.UntilAsync(
                async () =>
                {
                    Assert.False(server.Process.HasExited, $"the process ended:\n{ChildProcess.Tail(server.Process.LogFile)}");
                    return await server.MetricAsync(ErrorsMetric, $"component=\"{component}\"") == 1;
                },
                $"the injected fault in {component} to be counted",
                Deadline);
        }
    }
}
