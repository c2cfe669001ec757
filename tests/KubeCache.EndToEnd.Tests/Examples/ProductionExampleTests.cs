using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Scaling;
using KubeCache.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Examples;

/// <summary>
/// examples/kvcluster-production.yaml applied with kubectl after the chart's RBAC (with the
/// ServiceMonitor grant the example's monitoring needs): the real operator accepts it, brings its
/// 5 nodes and 3 routers to Ready, and the objects it creates carry what the example asks for.
/// Bound: 4 minutes.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ProductionExampleTests(ITestOutputHelper output)
{
    private const string Namespace = "cache";
    private const string Name = "cache";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task ProductionExample_Applied_ReadyWithTheObjectsItPromises()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync(Namespace, Name, ["operator-0"], "rbac.serviceMonitors=true");
        try
        {
            await harness.ApplyExampleAsync("kvcluster-production.yaml");
            KvClusterState ready = await harness.WaitReadyAsync(5, 0, DateTimeOffset.MinValue, Bound);
            await harness.RouterAsync(Bound);
            output.WriteLine($"Ready with 5 members at epoch {ready.Epoch}");

            JsonObject cluster = harness.KvCluster();
            Assert.Equal("True", cluster.Condition("MonitoringReady"));
            AssertNodes(harness.Server.Get("apps", "statefulsets", Namespace, Name)!);
            AssertRouters(harness.Server.Get("apps", "deployments", Namespace, Name + "-router")!, harness.Server.Get("", "services", Namespace, Name)!);
            Assert.Equal(1, harness.Server.Get("policy", "poddisruptionbudgets", Namespace, Name + "-nodes")!.Long("spec", "maxUnavailable"));
            Assert.Equal("15s", harness.Server.Get("monitoring.coreos.com", "servicemonitors", Namespace, Name)!["spec"]!["endpoints"]![0].Str("interval"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output.WriteLine(harness.Describe());
            throw;
        }
    }

    private static void AssertNodes(JsonObject statefulSet)
    {
        JsonNode pod = statefulSet["spec"]!["template"]!["spec"]!;
        JsonNode container = pod["containers"]![0]!;
        List<string> args = [.. container["args"]!.AsArray().Select(a => (string)a!)];

        Assert.Equal(5, statefulSet.Long("spec", "replicas"));
        Assert.Equal(300, pod.Long("terminationGracePeriodSeconds"));
        Assert.Equal("4Gi", container.Str("resources", "limits", "memory"));
        Assert.Equal("1", container.Str("resources", "requests", "cpu"));
        Assert.Equal("IfNotPresent", container.Str("imagePullPolicy"));
        Assert.Equal("3gb", Flag(args, "--max-memory"));
        // 300 s of grace: 10 s for the shutdown, the rest for the preStop handoff wait.
        Assert.Equal("290", Flag(args, "--prestop-timeout"));
        Assert.Equal("10", Flag(args, "--shutdown-timeout"));
        Assert.Equal("512", Flag(args, "--max-key-bytes"));
        Assert.Equal("4194304", Flag(args, "--max-value-bytes"));
        Assert.Equal("86400", Flag(args, "--default-ttl"));
        Assert.Equal("kubernetes.io/hostname",
            pod["affinity"]!["podAntiAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]![0]!["podAffinityTerm"].Str("topologyKey"));
        Assert.Equal("topology.kubernetes.io/zone", pod["topologySpreadConstraints"]![0].Str("topologyKey"));
        Assert.Equal("cache", pod["tolerations"]![0].Str("value"));
    }

    private static void AssertRouters(JsonObject deployment, JsonObject service)
    {
        Assert.Equal(3, deployment.Long("spec", "replicas"));
        Assert.Equal("512Mi", deployment["spec"]!["template"]!["spec"]!["containers"]![0].Str("resources", "limits", "memory"));
        Assert.Equal("LoadBalancer", service.Str("spec", "type"));
    }

    private static string? Flag(List<string> args, string flag) =>
        args.IndexOf(flag) is >= 0 and var i && i + 1 < args.Count ? args[i + 1] : null;
}
