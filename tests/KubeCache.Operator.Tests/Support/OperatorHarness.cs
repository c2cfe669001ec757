using System.Text.Json;
using System.Text.Json.Nodes;
using KubeCache.FakeApiServer;
using KubeCache.Kubernetes;
using KubeCache.Operator.Hosting;
using KubeCache.Operator.Options;
using KubeCache.Topology;
using Microsoft.Extensions.Logging;

namespace KubeCache.Operator.Tests.Support;

/// <summary>A fake API server with the KvCluster CRD and namespace ns, a simulated kubelet, and in-process operators.</summary>
internal sealed class OperatorHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly List<OperatorServer> _operators = [];

    private OperatorHarness(FakeApiServer.FakeApiServer server, SimulatedKubelet kubelet)
    {
        Server = server;
        Kubelet = kubelet;
    }

    public FakeApiServer.FakeApiServer Server { get; }

    public SimulatedKubelet Kubelet { get; }

    public static async Task<OperatorHarness> StartAsync(int subnet)
    {
        FakeApiServer.FakeApiServer server = await FakeApiServer.FakeApiServer.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        server.RegisterCrd(File.ReadAllText(RepoPaths.Combine("crds", "kvclusters.kubecache.io.yaml")));
        server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "ns" } });
        return new OperatorHarness(server, new SimulatedKubelet(server, subnet));
    }

    /// <summary>Starts an operator replica with fast leader election (lease 2 s).</summary>
    public async Task<OperatorServer> StartOperatorAsync(string identity = "operator-a", TimeSpan? handoffDeadline = null)
    {
        var options = new OperatorOptions
        {
            HttpPort = 0,
            Bind = "127.0.0.1",
            Identity = identity,
            LeaseNamespace = "default",
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
            HandoffDeadline = handoffDeadline ?? TimeSpan.FromMinutes(10),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        };
        OperatorServer server = OperatorServer.Create(options, KubernetesConnection.FromKubeconfig(Server.KubeconfigPath), l => l.ClearProviders());
        await server.StartAsync();
        _operators.Add(server);
        return server;
    }

    public void CreateCluster(int replicas, JsonObject? spec = null, string name = "demo")
    {
        spec ??= [];
        spec["replicas"] = replicas;
        Server.Create(new JsonObject
        {
            ["apiVersion"] = "kubecache.io/v1alpha1",
            ["kind"] = "KvCluster",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ns" },
            ["spec"] = spec,
        });
    }

    public void Scale(int replicas)
    {
        JsonObject cluster = Server.Get("kubecache.io", "kvclusters", "ns", "demo")!;
        cluster["spec"]!["replicas"] = replicas;
        cluster["metadata"]!.AsObject().Remove("resourceVersion");
        Server.Update(cluster);
    }

    public JsonObject? Cluster => Server.Get("kubecache.io", "kvclusters", "ns", "demo");

    public long? StatefulSetReplicas => Server.Get("apps", "statefulsets", "ns", "demo")?["spec"]?["replicas"].AsNumber();

    public RingDocument? Ring =>
        Server.Get("", "configmaps", "ns", "demo-ring")?["data"]?["ring.json"]?.GetValue<string>() is { } json ? RingDocument.Parse(json) : null;

    public IReadOnlyList<JsonObject> Events => Server.List("events.k8s.io", "events", "ns");

    public static string? Condition(JsonObject cluster, string type) =>
        cluster["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == type)?["status"]?.GetValue<string>();

    public Task<JsonObject> WaitForClusterAsync(Func<JsonObject, bool> condition, TimeSpan? timeout = null, string name = "demo") =>
        Server.WaitForAsync("kubecache.io", "kvclusters", "ns", name, condition, timeout ?? Timeout);

    public Task<RingDocument> WaitForRingAsync(Func<RingDocument, bool> condition) =>
        Server.WaitUntilAsync(() => Ring is { } ring && condition(ring) ? ring : null, Timeout, "ring demo-ring");

    public static string Phase(JsonObject cluster) => cluster["status"]?["phase"]?.GetValue<string>() ?? "";

    public static string Dump(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null";

    public async ValueTask DisposeAsync()
    {
        foreach (OperatorServer op in _operators)
        {
            try
            {
                await op.StopAsync();
            }
            catch (OperationCanceledException)
            {
            }

            await op.DisposeAsync();
        }

        await Kubelet.DisposeAsync();
        await Server.DisposeAsync();
    }
}
