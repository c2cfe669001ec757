using System.Diagnostics;
using KubeCache.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace KubeCache.EndToEnd.Tests.Scaling;

/// <summary>
/// Two operator processes: only the Lease holder reconciles; kill -9 of the leader in the middle
/// of a 3 → 5 rebalance; the other takes the Lease and finishes. Bound: 5 minutes.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OperatorFailoverTests(ITestOutputHelper output)
{
    private const int Keys = 20_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Operator_LeaderKilledMidRebalance_OtherTakesOverAndFinishesWithoutLosingKeys()
    {
        await using KubeCacheHarness harness = await KubeCacheHarness.StartAsync("operator-a", "operator-b");
        try
        {
            await harness.ApplyExampleAsync();
            KvClusterState first = await harness.WaitReadyAsync(3, 0, DateTimeOffset.MinValue, Bound);
            OperatorProcess leader = await LeaderAsync(harness, null);
            OperatorProcess follower = harness.Operators.Single(o => o != leader);
            Assert.Equal(1, await leader.MetricAsync("kvcache_operator_leader"));
            Assert.Equal(0, await follower.MetricAsync("kvcache_operator_leader"));
            Assert.True(await leader.MetricAsync("kvcache_operator_reconciles_total") > 0, "the leader has not reconciled");
            Assert.Equal(0, await follower.MetricAsync("kvcache_operator_reconciles_total"));

            await using var traffic = new CacheTraffic(await harness.RouterAsync(Bound));
            await traffic.LoadAsync(Keys);

            DateTimeOffset scaledAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            await harness.KubectlAsync("scale", "kvc/demo", "--replicas=5");
            await harness.Observer.WaitForAsync(s => s.Phase == "Rebalancing", scaledAt, Bound, "phase Rebalancing after scaling to 5");
            Assert.True(await leader.KillAsync(), "kill -9 of the leader failed");
            output.WriteLine($"killed leader {leader.Identity} {clock.Elapsed.TotalSeconds:F1} s after the scale, phase {harness.KvCluster().Str("status", "phase")}");

            await LeaderAsync(harness, follower.Identity);
            output.WriteLine($"{follower.Identity} holds the Lease {clock.Elapsed.TotalSeconds:F1} s after the scale");
            KvClusterState five = await harness.WaitReadyAsync(5, first.Epoch, scaledAt, Bound);
            output.WriteLine($"Ready with 5 members at epoch {five.Epoch} {clock.Elapsed.TotalSeconds:F1} s after the scale");
            Assert.True(await follower.MetricAsync("kvcache_operator_reconciles_total") > 0, "the new leader has not reconciled");
            Assert.Equal(1, await follower.MetricAsync("kvcache_operator_leader"));

            List<string> lost = await traffic.FindLostKeysAsync();
            output.WriteLine($"{Keys} keys, {lost.Count} lost");
            Assert.True(lost.Count == 0, $"{lost.Count} keys lost, e.g. {string.Join(", ", lost.Take(10))}");
            Assert.Empty(harness.Cluster.Faults);
        }
        catch
        {
            output.WriteLine(harness.Describe());
            throw;
        }
    }

    /// <summary>The operator named by the Lease (the expected one when given), once it holds it.</summary>
    private static async Task<OperatorProcess> LeaderAsync(KubeCacheHarness harness, string? expected)
    {
        string holder = await harness.Server.WaitUntilAsync(
            () => harness.Server.Get("coordination.k8s.io", "leases", KubeCacheHarness.Namespace, "kvcache-operator-leader").Str("spec", "holderIdentity") is { Length: > 0 } h
                && (expected is null || h == expected) ? h : null,
            Bound, expected is null ? "a Lease holder" : $"{expected} to hold the Lease");
        return harness.Operators.Single(o => o.Identity == holder);
    }
}
