using System.Diagnostics;
using System.Text.Json.Nodes;
using KubeCache.EndToEnd.Tests.Support;
using KubeCache.Testing;
using KubeCache.Testing.Clients;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Scaling;

/// <summary>
/// A new router image under traffic: clients reach the routers through the router Service (its
/// endpoints follow the pods' readiness and termination, as kube-proxy's do), the Deployment
/// surges new router pods and deletes the old ones, and each old router fails readiness, keeps
/// serving for its --shutdown-delay while the endpoints drop it, then drains. No request fails
/// and no key is lost. Bound: 2 minutes per phase.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RouterRolloutEndToEndTests(ITestOutputHelper output)
{
    private const int Keys = 5_000;
    private const string NewImage = "ghcr.io/kubecache/kvcache-router:rollout-test";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task KvCluster_RouterImageRollout_UnderTrafficThroughTheService_NoFailedRequest()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync("operator-0");
        try
        {
            await harness.ApplyExampleAsync();
            await harness.WaitReadyAsync(3, 0, DateTimeOffset.MinValue, Bound);
            await harness.RouterAsync(Bound);
            ServiceEndpoints service = harness.Cluster.Service(KubeCacheHarness.Namespace, KubeCacheHarness.Name, "http");
            await Poll.UntilAsync(() => service.Ready.Count > 0, "a ready endpoint of the router Service demo", Bound);
            HashSet<string> oldRouters = [.. RouterPods(harness).Select(p => p.Name())];

            await using var traffic = new CacheTraffic(service);
            await traffic.LoadAsync(Keys);
            traffic.Start();
            var clock = Stopwatch.StartNew();
            await harness.KubectlAsync("patch", "kvc/demo", "--type", "merge", "-p",
                new JsonObject { ["spec"] = new JsonObject { ["router"] = new JsonObject { ["image"] = NewImage } } }.ToJsonString());

            // Every old router pod gone and the new ones Ready on the new image.
            await harness.Server.WaitUntilAsync(() =>
            {
                List<JsonObject> pods = RouterPods(harness);
                return pods.Count > 0 && pods.All(p => !oldRouters.Contains(p.Name()) && !p.IsTerminating() && p.Condition("Ready") == "True"
                    && p["spec"]!["containers"]![0].Str("image") == NewImage) ? "" : null;
            }, Bound, "every router pod replaced on the new image");
            TimeSpan took = clock.Elapsed;
            await Poll.UntilAsync(() => !harness.Cluster.Kubelet.Pods.Any(p => oldRouters.Contains(p.Name)), "the old routers to exit", Bound);
            long readsAfter = traffic.Reads;
            await Poll.UntilAsync(() => traffic.Reads > readsAfter + 100, "reads through the new routers", Bound);
            await traffic.StopAsync();
            List<string> lost = await traffic.FindLostKeysAsync();

            IEnumerable<string> stops = harness.Cluster.Kubelet.History.Where(h => oldRouters.Any(r => h.Contains($" stopped {r} ", StringComparison.Ordinal)));
            output.WriteLine($"routers replaced in {took.TotalSeconds:F1} s; {traffic.Writes} writes, {traffic.Reads} reads, {traffic.Failures} failed requests, {lost.Count} keys lost");
            output.WriteLine(string.Join('\n', stops));
            Assert.True(traffic.Failures == 0, "failed requests:\n" + string.Join('\n', traffic.Errors));
            Assert.True(lost.Count == 0, $"{lost.Count} keys lost, e.g. {string.Join(", ", lost.Take(10))}");
            Assert.All(stops, s => Assert.Contains("by SIGTERM", s, StringComparison.Ordinal));
            Assert.Empty(harness.Cluster.Faults);
        }
        catch
        {
            output.WriteLine(harness.Describe());
            throw;
        }
    }

    private static List<JsonObject> RouterPods(KubeCacheHarness harness) =>
        [.. harness.Server.List("", "pods", KubeCacheHarness.Namespace).Where(p => p.Str("metadata", "labels", "app.kubernetes.io/component") == "router")];
}
