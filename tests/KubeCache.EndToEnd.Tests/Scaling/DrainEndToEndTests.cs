using System.Diagnostics;
using KubeCache.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Scaling;

/// <summary>
/// A node pod deleted by someone other than the operator (<c>kubectl delete pod</c>): the
/// operator sees it terminating and publishes a ring without it, its preStop waits for that
/// ring and the handoff, and the replacement rejoins; no key is lost. Bound: 2 minutes per phase.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DrainEndToEndTests(ITestOutputHelper output)
{
    private const int Keys = 20_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task KvCluster_DrainByKubectlDeletePod_KeysHandedOffBeforeItStopsAndReplacementRejoins()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync("operator-0");
        try
        {
            await harness.ApplyExampleAsync();
            KvClusterState first = await harness.WaitReadyAsync(3, 0, DateTimeOffset.MinValue, Bound);
            await using var traffic = new CacheTraffic(await harness.RouterAsync(Bound));
            await traffic.LoadAsync(Keys);
            traffic.Start();
            string oldUid = harness.Server.Get("", "pods", KubeCacheHarness.Namespace, "demo-1")!.Uid();

            DateTimeOffset deletedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            await harness.KubectlAsync("delete", "pod", "demo-1", "--wait=false");
            await harness.Server.WaitUntilAsync(
                () => harness.Server.Get("", "pods", KubeCacheHarness.Namespace, "demo-1") is { } p && p.Uid() != oldUid && p.Condition("Ready") == "True" ? p : null,
                Bound, "a new, Ready demo-1");
            KvClusterState back = await harness.WaitReadyAsync(3, first.Epoch + 1, deletedAt, Bound);
            TimeSpan took = clock.Elapsed;
            await traffic.StopAsync();
            List<string> lost = await traffic.FindLostKeysAsync();

            string prestop = harness.Cluster.Kubelet.History.Single(h => h.Contains(" prestop demo-1 ", StringComparison.Ordinal));
            output.WriteLine($"demo-1 deleted, back in the ring at epoch {back.Epoch} after {took.TotalSeconds:F1} s; {prestop}");
            output.WriteLine($"{Keys} loaded keys, {traffic.Writes} background writes, {traffic.Reads} background reads, {traffic.Failures} failed requests, {lost.Count} keys lost");
            Assert.True(lost.Count == 0, $"{lost.Count} keys lost, e.g. {string.Join(", ", lost.Take(10))}");
            Assert.Contains(" 200 ", prestop, StringComparison.Ordinal);
            Assert.Contains(harness.Observer.States, s => s.At >= deletedAt && s.Members == 2);
            Assert.Empty(harness.Cluster.Faults);
        }
        catch
        {
            output.WriteLine(harness.Describe());
            throw;
        }
    }
}
