using System.Net;
using System.Text;
using System.Text.Json;
using KubeCache.CacheNode.Storage;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Tests.Cluster;

public class HandoffTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Handoff_OneNodeToThree_EveryKeyEndsOnItsOwnerWithItsTtl()
    {
        await using var cluster = new ClusterNodes();
        foreach (string name in new[] { "a", "b", "c" })
        {
            await cluster.StartAsync(name);
        }

        await cluster.PublishAsync(Document(1, [cluster.Member("a")]));
        await cluster.WaitForHandoffDoneAsync("a", 1, Deadline);
        CacheStore source = cluster["a"].Server.Store;
        for (int i = 0; i < 3000; i++)
        {
            Expiry expiry = i % 10 == 0 ? Expiry.After(TimeSpan.FromMinutes(10)) : Expiry.Never;
            Assert.Equal(StoreStatus.Ok, source.Set(Key(i), Value(i), expiry));
        }

        RingDocument grown = Document(2, [cluster.Member("a"), cluster.Member("b"), cluster.Member("c")], previous: Document(1, [cluster.Member("a")]));
        await cluster.PublishAsync(grown);
        foreach (string name in new[] { "a", "b", "c" })
        {
            await cluster.WaitForHandoffDoneAsync(name, 2, Deadline);
        }

        Ring ring = grown.CurrentRing();
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < 3000; i++)
        {
            string owner = ring.OwnerOf(Key(i)).Name;
            counts[owner] = counts.GetValueOrDefault(owner) + 1;
            foreach (string name in new[] { "a", "b", "c" })
            {
                CacheStore store = cluster[name].Server.Store;
                bool present = store.Peek(Key(i), out ReadOnlyMemory<byte> value, out long expiresAt) == StoreStatus.Ok;
                Assert.True(present == (name == owner), $"key {i} is {(present ? "" : "not ")}on {name}; its owner is {owner}");
                if (present)
                {
                    Assert.True(value.Span.SequenceEqual(Value(i)), $"key {i} has the wrong value on {name}");
                    Assert.True((i % 10 == 0) == (expiresAt != 0), $"key {i} lost or gained a TTL");
                }
            }
        }

        Assert.Equal(3, counts.Count);
        await AssertHandoffReportAsync(cluster, "a", expectedSent: counts["b"] + counts["c"]);
    }

    [Fact]
    public async Task Handoff_NewOwnerStartsLate_RetriesUntilItIsUp()
    {
        await using var cluster = new ClusterNodes();
        await cluster.StartAsync("a");
        await cluster.PublishAsync(Document(1, [cluster.Member("a")]));
        await cluster.WaitForHandoffDoneAsync("a", 1, Deadline);
        for (int i = 0; i < 500; i++)
        {
            cluster["a"].Server.Store.Set(Key(i), Value(i));
        }

        int latePort = Ports.Free();
        RingMember late = ClusterNodes.MemberAt("late", latePort);
        await cluster.PublishAsync(Document(2, [cluster.Member("a"), late], previous: Document(1, [cluster.Member("a")])));
        await WaitForStateAsync(cluster, "a", "streaming");
        await Task.Delay(300);
        await cluster.StartAsync("late", latePort);

        await cluster.WaitForHandoffDoneAsync("a", 2, Deadline);
        long moved = cluster["late"].Server.Store.Count;
        Assert.True(moved > 100, $"only {moved} keys reached the late node");
        Assert.Equal(500, cluster["a"].Server.Store.Count + moved);
    }

    [Fact]
    public async Task SetFromHandoff_FlushSinceTheCopyWasRead_StoresNothing()
    {
        await using var cluster = new ClusterNodes();
        await cluster.StartAsync("b");
        CacheStore store = cluster["b"].Server.Store;
        long flushes = store.Flushes;
        store.Clear();

        Assert.Equal(StoreStatus.NotSet, store.SetFromHandoff(Key(1), Value(1), 0, flushes));
        Assert.Equal(StoreStatus.Ok, store.SetFromHandoff(Key(1), Value(1), 0, store.Flushes));
        Assert.Equal(StoreStatus.NotSet, store.SetFromHandoff(Key(1), Value(2), 0, store.Flushes));
    }

    [Fact]
    public async Task ClusterRing_Standalone_Answers404AndHandoffIsIdle()
    {
        await using var node = await Http.TestNode.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await node.GetAsync("/cluster/ring")).Status);
        Http.Reply handoff = await node.GetAsync("/cluster/handoff");
        Assert.Contains("\"state\":\"idle\"", handoff.Body, StringComparison.Ordinal);
    }

    private static async Task AssertHandoffReportAsync(ClusterNodes cluster, string name, long expectedSent)
    {
        using JsonDocument json = JsonDocument.Parse((await cluster[name].GetAsync("/cluster/handoff")).Body);
        Assert.Equal(expectedSent, json.RootElement.GetProperty("keysSent").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("keysLeft").GetInt64());
    }

    private static async Task WaitForStateAsync(ClusterNodes cluster, string name, string state)
    {
        long until = Environment.TickCount64 + (long)Deadline.TotalMilliseconds;
        while (!(await cluster[name].GetAsync("/cluster/handoff")).Body.Contains($"\"state\":\"{state}\"", StringComparison.Ordinal))
        {
            Assert.True(Environment.TickCount64 < until, $"node {name} never reported {state}");
            await Task.Delay(10);
        }
    }

    private static RingDocument Document(long epoch, IReadOnlyList<RingMember> members, RingDocument? previous = null) => new()
    {
        Cluster = "test",
        Epoch = epoch,
        Members = members,
        Previous = previous is null ? null : new RingGeneration(previous.Epoch, previous.Members, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
    };

    private static byte[] Key(int i) => Encoding.UTF8.GetBytes($"key:{i}");

    private static byte[] Value(int i) => Encoding.UTF8.GetBytes($"value-{i}-" + new string('v', i % 50));
}
