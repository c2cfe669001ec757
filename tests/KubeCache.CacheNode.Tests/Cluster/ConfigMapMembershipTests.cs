using System.Net;
using System.Text;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Storage;
using KubeCache.FakeApiServer;
using KubeCache.Testing;
using KubeCache.Topology;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>Nodes following the ring ConfigMap through a fake API server (--ring-configmap).</summary>
public class ConfigMapMembershipTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RingConfigMap_Created_NodeShowsItsEpoch()
    {
        await using ConfigMapRing ring = await ConfigMapRing.StartAsync();
        await ring.StartNodeAsync("a");
        Reply before = await ring["a"].GetAsync("/cluster/ring");
        Assert.Equal(HttpStatusCode.NotFound, before.Status);
        Assert.Contains("ConfigMap default/demo-ring", before.Body, StringComparison.Ordinal);

        ring.Publish(Document(3, [ring.Member("a")]));

        await ring.WaitForEpochAsync("a", 3);
    }

    [Fact]
    public async Task RingConfigMap_NewEpochWithoutTheNode_HandsItsKeysToTheNewOwner()
    {
        await using ConfigMapRing ring = await ConfigMapRing.StartAsync();
        await ring.StartNodeAsync("a");
        await ring.StartNodeAsync("b");
        RingDocument first = Document(1, [ring.Member("a")]);
        ring.Publish(first);
        await ClusterNodes.WaitForHandoffDoneAsync(ring["a"], "a", 1, Deadline);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(StoreStatus.Ok, ring["a"].Server.Store.Set(Key(i), Key(i)));
        }

        ring.Publish(Document(2, [ring.Member("b")], previous: first));

        await ClusterNodes.WaitForHandoffDoneAsync(ring["a"], "a", 2, Deadline);
        Assert.Equal(0, ring["a"].Server.Store.Count);
        Assert.Equal(200, ring["b"].Server.Store.Count);
    }

    [Fact]
    public async Task RingConfigMap_WatchDroppedAndHistoryCompacted_NodeFollowsLaterChanges()
    {
        await using ConfigMapRing ring = await ConfigMapRing.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromHours(1) });
        await ring.StartNodeAsync("a");
        ring.Publish(Document(1, [ring.Member("a")]));
        await ring.WaitForEpochAsync("a", 1);

        ring.Server.CompactHistory();
        ring.Server.DropWatches();
        ring.Publish(Document(2, [ring.Member("a")]));
        await ring.WaitForEpochAsync("a", 2);

        ring.Server.DropWatches();
        ring.Publish(Document(3, [ring.Member("a")]));
        await ring.WaitForEpochAsync("a", 3);
    }

    [Fact]
    public async Task RingConfigMap_MalformedDocument_IsIgnoredAndTheLastGoodRingStays()
    {
        await using ConfigMapRing ring = await ConfigMapRing.StartAsync();
        await ring.StartNodeAsync("a");
        ring.Publish(Document(1, [ring.Member("a")]));
        await ring.WaitForEpochAsync("a", 1);
        var rejected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        ring["a"].Server.Services.GetRequiredService<ClusterMembership>().Source!.Rejected += problem => rejected.TrySetResult(problem);

        ring.Publish("{\"epoch\": \"not a ring");

        Assert.NotEmpty(await rejected.Task.WaitAsync(Deadline));
        await ring.WaitForEpochAsync("a", 1);
        ring.Publish(Document(2, [ring.Member("a")]));
        await ring.WaitForEpochAsync("a", 2);
    }

    internal static RingDocument Document(long epoch, IReadOnlyList<RingMember> members, RingDocument? previous = null) => new()
    {
        Cluster = "demo",
        Epoch = epoch,
        Members = members,
        Previous = previous is null ? null : new RingGeneration(previous.Epoch, previous.Members, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
    };

    private static byte[] Key(int i) => Encoding.UTF8.GetBytes($"key:{i}");
}
