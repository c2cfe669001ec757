using System.Text.Json;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.FakeApiServer;
using KubeCache.Testing;
using KubeCache.Topology;

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
    public async Task Node_FaultInHandoffPass_CountedAndPassRunsAgainAndLaterHandoffsMoveTheKeys()
    {
        string ringFile = Path.Combine(_logs, "ring.json");
        RingMember first = Member("node-0"), second = Member("node-1");
        await PublishAsync(ringFile, new RingDocument { Cluster = "faults", Epoch = 1, Members = [first] });
        await using ServerProcess failing = await StartNodeAsync(first, ringFile, Faults("handoff"));

        // The pass of the ring the node started with failed once and ran again to its end.
        await WaitCountedAsync(failing, "handoff");
        await WaitHandoffDoneAsync(failing, epoch: 1);

        await using RespTestClient client = await RespTestClient.ConnectAsync(failing.RespEndPoint);
        string[] keys = [.. Enumerable.Range(0, 200).Select(i => $"key:{i}")];
        foreach (string key in keys)
        {
            Assert.Equal("OK", (await client.CallAsync("SET", key, "v")).AsString());
        }

        // The node still hands keys off: a second member joins and gets exactly its keys.
        await using ServerProcess joining = await StartNodeAsync(second, ringFile, environment: null);
        var grown = new RingDocument { Cluster = "faults", Epoch = 2, Members = [first, second], Previous = new RingGeneration(1, [first], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) };
        await PublishAsync(ringFile, grown);
        await WaitHandoffDoneAsync(failing, epoch: 2);

        int moved = keys.Count(k => grown.CurrentRing().OwnerOf(System.Text.Encoding.UTF8.GetBytes(k)).Name == second.Name);
        Assert.InRange(moved, 1, keys.Length - 1);
        await using RespTestClient joined = await RespTestClient.ConnectAsync(joining.RespEndPoint);
        Assert.Equal(moved, (await joined.CallAsync("DBSIZE")).AsInt64());
        Assert.Equal(keys.Length - moved, (await client.CallAsync("DBSIZE")).AsInt64());
        Assert.Equal(1, await failing.MetricAsync(ErrorsMetric, "component=\"handoff\""));
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

    private static RingMember Member(string name)
    {
        string http = $"127.0.0.1:{Ports.Free()}", resp = $"127.0.0.1:{Ports.Free()}";
        return new RingMember(name, http, resp);
    }

    private static async Task PublishAsync(string ringFile, RingDocument document)
    {
        await File.WriteAllBytesAsync(ringFile + ".tmp", document.ToUtf8Json());
        File.Move(ringFile + ".tmp", ringFile, overwrite: true);
    }

    private Task<ServerProcess> StartNodeAsync(RingMember member, string ringFile, Dictionary<string, string>? environment) =>
        ServerProcess.StartAsync(
            "KubeCache.CacheNode.dll",
            Port(member.Http),
            Port(member.Resp),
            Path.Combine(_logs, $"{member.Name}.log"),
            ["--node-name", member.Name, "--ring-file", ringFile, "--ring-poll-interval", "50ms"],
            environment);

    private static int Port(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static Task WaitHandoffDoneAsync(ServerProcess node, long epoch) =>
        Poll.UntilAsync(
            async () =>
            {
                if (await node.GetAsync("/cluster/handoff") is not { } body)
                {
                    return false;
                }

                using JsonDocument json = JsonDocument.Parse(body);
                return json.RootElement.GetProperty("epoch").GetInt64() == epoch && json.RootElement.GetProperty("state").GetString() == "done";
            },
            $"the handoff of epoch {epoch} to be done",
            Deadline);

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
