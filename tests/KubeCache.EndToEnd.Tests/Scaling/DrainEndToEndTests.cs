using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Scaling;

/// <summary>
/// A node pod taken down by someone other than the operator — <c>kubectl delete pod</c>, or an
/// eviction as <c>kubectl drain</c> sends it: the operator sees it terminating and publishes a
/// ring without it, its preStop waits for that ring and the handoff, and the replacement
/// rejoins; no key is lost. Bound: 2 minutes per phase.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DrainEndToEndTests(ITestOutputHelper output)
{
    private static int Keys => CacheTraffic.LoadedKeys;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task KvCluster_DrainByKubectlDeletePod_KeysHandedOffBeforeItStopsAndReplacementRejoins()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync("operator-0");
        try
        {
            (KvClusterState first, CacheTraffic traffic) = await StartAsync(harness);
            await using CacheTraffic _ = traffic;
            string oldUid = harness.Server.Get("", "pods", KubeCacheHarness.Namespace, "demo-1")!.Uid();

            DateTimeOffset deletedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            await harness.KubectlAsync("delete", "pod", "demo-1", "--wait=false");
            await WaitRejoinedAsync(harness, first, oldUid, deletedAt, clock, traffic);
        }
        catch
        {
            output.WriteLine(harness.Describe());
            throw;
        }
    }

    [Fact]
    public async Task KvCluster_DrainByEviction_NoKeyLostNoFailedRequestAndTheBudgetRefusesASecondNode()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync("operator-0");
        try
        {
            (KvClusterState first, CacheTraffic traffic) = await StartAsync(harness);
            await using CacheTraffic _ = traffic;
            string oldUid = harness.Server.Get("", "pods", KubeCacheHarness.Namespace, "demo-1")!.Uid();
            await harness.Server.WaitForAsync("policy", "poddisruptionbudgets", KubeCacheHarness.Namespace, "demo-nodes",
                b => b["status"]?["disruptionsAllowed"]?.GetValue<long>() == 1, Bound);
            using HttpClient api = harness.Server.CreateClient();

            DateTimeOffset evictedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            using HttpResponseMessage evicted = await EvictAsync(api, "demo-1");
            using HttpResponseMessage second = await EvictAsync(api, "demo-2");
            JsonObject refusal = (await second.Content.ReadFromJsonAsync<JsonObject>())!;
            output.WriteLine($"eviction of demo-1: {(int)evicted.StatusCode}; of demo-2 while demo-1 is out: {(int)second.StatusCode} {refusal.ToJsonString()}");
            await WaitRejoinedAsync(harness, first, oldUid, evictedAt, clock, traffic);
            await harness.Server.WaitForAsync("policy", "poddisruptionbudgets", KubeCacheHarness.Namespace, "demo-nodes",
                b => b["status"]?["disruptionsAllowed"]?.GetValue<long>() == 1, Bound);

            Assert.Equal(HttpStatusCode.Created, evicted.StatusCode);
            Assert.Equal((HttpStatusCode)429, second.StatusCode);
            Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", refusal.Str("message"));
            Assert.Equal("DisruptionBudget", refusal["details"]!["causes"]![0].Str("reason"));
            Assert.DoesNotContain(harness.Cluster.Kubelet.History, h => h.Contains(" stopped demo-2 ", StringComparison.Ordinal));
        }
        catch
        {
            output.WriteLine(harness.Describe());
            throw;
        }
    }

    /// <summary>The example KvCluster Ready with 3 nodes, <see cref="Keys"/> keys loaded, and a reader and a writer running.</summary>
    private static async Task<(KvClusterState Ready, CacheTraffic Traffic)> StartAsync(KubeCacheHarness harness)
    {
        await harness.ApplyExampleAsync();
        KvClusterState first = await harness.WaitReadyAsync(3, 0, DateTimeOffset.MinValue, Bound);
        var traffic = new CacheTraffic(await harness.RouterAsync(Bound));
        await traffic.LoadAsync(Keys);
        traffic.Start();
        return (first, traffic);
    }

    /// <summary>POST pods/{pod}/eviction with a policy/v1 Eviction, as kubectl drain does.</summary>
    private static Task<HttpResponseMessage> EvictAsync(HttpClient api, string pod) =>
        api.PostAsJsonAsync($"/api/v1/namespaces/{KubeCacheHarness.Namespace}/pods/{pod}/eviction", new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "Eviction",
            ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = KubeCacheHarness.Namespace },
        });

    /// <summary>
    /// Waits for a new, Ready demo-1 and the ring back at 3 members, then checks that demo-1 left
    /// the ring (2 members) and stopped after its preStop saw the handoff done, with no key lost
    /// and no failed request.
    /// </summary>
    private async Task WaitRejoinedAsync(KubeCacheHarness harness, KvClusterState first, string oldUid, DateTimeOffset since, Stopwatch clock, CacheTraffic traffic)
    {
        await harness.Server.WaitUntilAsync(
            () => harness.Server.Get("", "pods", KubeCacheHarness.Namespace, "demo-1") is { } p && p.Uid() != oldUid && p.Condition("Ready") == "True" ? p : null,
            Bound, "a new, Ready demo-1");
        KvClusterState back = await harness.WaitReadyAsync(3, first.Epoch + 1, since, Bound);
        TimeSpan took = clock.Elapsed;
        await traffic.StopAsync();
        List<string> lost = await traffic.FindLostKeysAsync();

        string prestop = harness.Cluster.Kubelet.History.Single(h => h.Contains(" prestop demo-1 ", StringComparison.Ordinal));
        output.WriteLine($"demo-1 back in the ring at epoch {back.Epoch} after {took.TotalSeconds:F1} s; {prestop}");
        output.WriteLine($"{Keys} loaded keys, {traffic.Writes} background writes, {traffic.Reads} background reads, {traffic.Failures} failed requests, {lost.Count} keys lost");
        Assert.True(lost.Count == 0, $"{lost.Count} keys lost, e.g. {string.Join(", ", lost.Take(10))}");
        Assert.True(traffic.Failures == 0, "failed requests:\n" + string.Join('\n', traffic.Errors));
        Assert.Contains(" 200 ", prestop, StringComparison.Ordinal);
        Assert.Contains(harness.Observer.States, s => s.At >= since && s.Members == 2);
        Assert.Empty(harness.Cluster.Faults);
    }
}
