using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KubeCache.Background;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Storage;
using KubeCache.CacheNode.Tests.Storage;
using KubeCache.Protocol;
using KubeCache.Testing;
using KubeCache.Topology;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.CacheNode.Tests.Cluster;

public partial class HandoffTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Handoff_OneNodeToThree_EveryKeyEndsOnItsOwnerWithItsKindAndTtl()
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
            Assert.Equal(StoreStatus.Ok, IsHash(i) ? source.SetHash(Key(i), Value(i)) : source.Set(Key(i), Value(i), expiry));
            Assert.Equal(StoreStatus.Ok, source.SetExpiry(Key(i), expiry));
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
                bool present = store.Peek(Key(i), out ReadOnlyMemory<byte> value, out ValueKind kind, out long expiresAt) == StoreStatus.Ok;
                Assert.True(present == (name == owner), $"key {i} is {(present ? "" : "not ")}on {name}; its owner is {owner}");
                if (present)
                {
                    Assert.True(value.Span.SequenceEqual(Value(i)), $"key {i} has the wrong value on {name}");
                    Assert.True((i % 10 == 0) == (expiresAt != 0), $"key {i} lost or gained a TTL");
                    Assert.True(IsHash(i) == (kind == ValueKind.Hash), $"key {i} arrived as a {kind}");
                }
            }
        }

        Assert.Equal(3, counts.Count);
        await AssertHandoffReportAsync(cluster, "a", expectedSent: counts["b"] + counts["c"]);
    }

    [Fact]
    public async Task Handoff_OfAFinishTakenAgainAtTheSamePointWhileItWaits_EndsDone()
    {
        // Regression (bench/history.sh 2 87000 cuts=0.5): a node took a finish (no previous) from a
        // peer, its pass waited for a take started under the ring before, and the node's own source
        // then delivered the same point at other addresses. The pass was superseded and the document
        // skipped as "the finish of the epoch handed off already", so the handoff stayed streaming
        // for good (a preStop hook would wait on it). Here the take's previous owner never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new ConcurrentQueue<TcpClient>();
        Task accepting = Task.Run(async () =>
        {
            while (true)
            {
                held.Enqueue(await silent.AcceptTcpClientAsync());
            }
        });
        int silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;

        await using var cluster = new ClusterNodes();
        await cluster.StartAsync("a");
        RingMember a = cluster.Member("a"), previous = ClusterNodes.MemberAt("p", silentPort);
        await cluster.PublishAsync(Document(2, [a], previous: Document(1, [previous])));
        await cluster.WaitForHandoffDoneAsync("a", 2, Deadline);

        // The GET's take waits inside the ring gate for an answer that never comes (the peer timeout);
        // its key stays a's in the finish, so it is answered there once the take gives up.
        RingDocument finish = Document(3, [a, ClusterNodes.MemberAt("q", 1)]);
        string key = Enumerable.Range(0, 100).Select(i => $"key:{i}").First(k => finish.CurrentRing().OwnerOf(Encoding.UTF8.GetBytes(k)).Name == "a");
        await using RespTestClient client = await RespTestClient.ConnectAsync(cluster["a"].Server.HttpEndPoint);
        Task<RespValue> get = client.CallAsync("GET", key);
        await Poll.UntilAsync(() => !held.IsEmpty, "the take to reach the previous owner");

        await cluster.PublishAsync(finish);
        await WaitForStateAsync(cluster, "a", "streaming");
        await cluster.PublishAsync(Document(3, [a, ClusterNodes.MemberAt("q", 2)]));

        await cluster.WaitForHandoffDoneAsync("a", 3, Deadline);
        RespReply.Nil(await get);
        silent.Stop();
        await accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        foreach (TcpClient connection in held)
        {
            connection.Dispose();
        }
    }

    /// <summary>Every third key of the handoff tests is a hash (its store-level encoding is opaque bytes here).</summary>
    private static bool IsHash(int i) => i % 3 == 1;

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
        await WaitForStateAsync(cluster, "a", "retrying");
        await Task.Delay(300);
        await cluster.StartAsync("late", latePort);

        await cluster.WaitForHandoffDoneAsync("a", 2, Deadline);
        long moved = cluster["late"].Server.Store.Count;
        Assert.True(moved > 100, $"only {moved} keys reached the late node");
        Assert.Equal(500, cluster["a"].Server.Store.Count + moved);
    }

    [Fact]
    public async Task Handoff_NewOwnerFurtherAlong_TheSupersededPassIsNoBackgroundError()
    {
        // Each round a's pass learns a newer ring from b, which supersedes the pass just as its
        // attempt fails with "further along": that failure is the pass ending, not a fault.
        await using var cluster = new ClusterNodes();
        (RingMember a, RingMember b, string aRingFile) = await StartAWithARingFileOfItsOwnAndBAsync(cluster);
        BackgroundErrors errors = cluster["a"].Server.Services.GetRequiredService<BackgroundErrors>();
        for (int round = 0; round < 10; round++)
        {
            long epoch = 2 + (2 * round);
            for (int i = 0; i < 20; i++)
            {
                cluster["a"].Server.Store.Set(Key((round * 100) + i), Value(i));
            }

            await cluster.PublishAsync(Document(epoch + 1, [a, b]));
            await Poll.UntilAsync(async () => await cluster["b"].GetAsync("/cluster/ring") is { Status: HttpStatusCode.OK } ring && RingDocument.Parse(ring.Body).Epoch == epoch + 1,
                "b to use the newer ring", Deadline);
            await cluster.PublishAsync(Document(epoch, [a, b], previous: Document(epoch - 1, [a])), aRingFile);
            await cluster.WaitForHandoffDoneAsync("a", epoch + 1, Deadline);
        }

        Assert.Equal(0, errors.Count(HandoffService.Component));
    }

    [Fact]
    public async Task SetFromHandoff_FlushSinceTheCopyWasRead_StoresNothing()
    {
        await using var cluster = new ClusterNodes();
        await cluster.StartAsync("b");
        CacheStore store = cluster["b"].Server.Store;
        long flushes = store.Flushes;
        store.Clear();

        Assert.Equal(StoreStatus.NotSet, store.SetFromHandoff(Key(1), Value(1), ValueKind.String, 0, flushes));
        Assert.Equal(StoreStatus.Ok, store.SetFromHandoff(Key(1), Value(1), ValueKind.String, 0, store.Flushes));
        Assert.Equal(StoreStatus.NotSet, store.SetFromHandoff(Key(1), Value(2), ValueKind.String, 0, store.Flushes));
    }

    [Fact]
    public async Task Handoff_ReceiverFull_KeepsItsOwnKeysAndCountsRefusedKeysAsDropped()
    {
        await using var cluster = new ClusterNodes();
        await cluster.StartAsync("a");
        await cluster.StartAsync("b", configure: o =>
        {
            o.MaxMemoryBytes = 8192;
            o.Shards = 1;
            o.MaxValueBytes = 1024;
        });
        RingDocument both = Document(1, [cluster.Member("a"), cluster.Member("b")]);
        await cluster.PublishAsync(both);
        await cluster.WaitForHandoffDoneAsync("a", 1, Deadline);
        await cluster.WaitForHandoffDoneAsync("b", 1, Deadline);
        CacheStore receiver = cluster["b"].Server.Store;
        byte[] OwnKey(int i, string owner) => Encoding.UTF8.GetBytes($"{owner}:{i}");
        foreach (byte[] key in Enumerable.Range(0, 400).Select(i => OwnKey(i, "b")).Where(k => both.CurrentRing().OwnerOf(k).Name == "b"))
        {
            receiver.Set(key, Value(key.Length));
        }

        // a leaves: every key of a's moves to b, which is full of its own.
        RingDocument grown = Document(2, [cluster.Member("b")], previous: both);
        byte[][] local = [.. Enumerable.Range(0, 400).Select(i => OwnKey(i, "b")).Where(k => receiver.Peek(k, out _, out _, out _) == StoreStatus.Ok)];
        byte[][] moving = [.. Enumerable.Range(0, 600).Select(i => OwnKey(i, "a")).Where(k => both.CurrentRing().OwnerOf(k).Name == "a")];
        foreach (byte[] key in moving)
        {
            cluster["a"].Server.Store.Set(key, Value(key.Length));
        }

        long evictedBefore = receiver.GetStats().CapacityEvictions;
        await cluster.PublishAsync(grown);
        await cluster.WaitForHandoffDoneAsync("a", 2, Deadline);

        Assert.All(local, k => Assert.Equal(StoreStatus.Ok, receiver.Peek(k, out _, out _, out _)));
        Assert.Equal(evictedBefore, receiver.GetStats().CapacityEvictions);
        int received = moving.Count(k => receiver.Peek(k, out _, out _, out _) == StoreStatus.Ok);
        using JsonDocument report = JsonDocument.Parse((await cluster["a"].GetAsync("/cluster/handoff")).Body);
        long sent = report.RootElement.GetProperty("keysSent").GetInt64();
        long dropped = report.RootElement.GetProperty("keysDropped").GetInt64();
        Assert.Equal(received, sent);
        Assert.True(dropped > 0, report.RootElement.ToString());
        Assert.Equal(moving.Length, sent + dropped);
    }

    [Fact]
    public async Task Handoff_LargeValues_BatchesAreBoundedInBytes()
    {
        await using var receiver = new BatchRecordingReceiver();
        await using var cluster = new ClusterNodes();
        await cluster.StartAsync("a", configure: o => o.MaxMemoryBytes = 256L << 20);
        await cluster.PublishAsync(Document(1, [cluster.Member("a")]));
        await cluster.WaitForHandoffDoneAsync("a", 1, Deadline);
        byte[] large = new byte[1 << 20];
        Array.Fill(large, (byte)'x');
        for (int i = 0; i < 24; i++)
        {
            Assert.Equal(StoreStatus.Ok, cluster["a"].Server.Store.Set(Key(i), large));
        }

        // Every key leaves a for the receiver, which answers each burst once it ends.
        await cluster.PublishAsync(Document(2, [ClusterNodes.MemberAt("r", receiver.Port)], previous: Document(1, [cluster.Member("a")])));
        await cluster.WaitForHandoffDoneAsync("a", 2, Deadline);

        Assert.Equal(24, receiver.Keys);
        long bound = new CacheNode.Options.NodeOptions().HandoffBatchBytes;
        Assert.True(receiver.LargestBurstBytes <= bound, $"a batch of {receiver.LargestBurstBytes} bytes went out; the bound is {bound}");
    }

    [Fact]
    public async Task RemovedNodeAddedAgainBeforeItStopped_ServesTheNewerValueNotWhatItLeftBehind()
    {
        // b leaves in a finish that did not wait for its handoff (it skips the rebalancing
        // document), then joins again while still running: the key it held went to a meanwhile and
        // was written there, so b must take it from a, not serve the copy it kept.
        await using var cluster = new ClusterNodes();
        await cluster.StartAsync("a");
        await cluster.StartAsync("b");
        RingMember a = cluster.Member("a"), b = cluster.Member("b");
        RingDocument both = Document(1, [a, b]);
        byte[] key = Enumerable.Range(0, 100).Select(Key).First(k => both.CurrentRing().OwnerOf(k).Name == "b");
        string name = Encoding.UTF8.GetString(key);
        await PublishAndWaitAsync(cluster, both, "a", "b");
        Assert.Equal(StoreStatus.Ok, cluster["b"].Server.Store.Set(key, "left behind"u8.ToArray()));

        await PublishAndWaitAsync(cluster, Document(2, [a]), "a", "b");
        Assert.Equal(200, (int)(await cluster["a"].PutAsync(name, "newer")).Status);

        await PublishAndWaitAsync(cluster, Document(3, [a, b], previous: Document(2, [a])), "a", "b");
        Assert.Equal("newer", await cluster["b"].GetValueAsync(name));
    }

    private static async Task PublishAndWaitAsync(ClusterNodes cluster, RingDocument document, params string[] nodes)
    {
        await cluster.PublishAsync(document);
        foreach (string node in nodes)
        {
            NodeRing ring = cluster[node].Server.Services.GetRequiredService<NodeRing>();
            await Poll.UntilAsync(() => ring.Current is { } current && current.Epoch == document.Epoch && (current.Previous is null) == (document.Previous is null),
                $"{node} to take epoch {document.Epoch}", Deadline);
        }
    }

    [Fact]
    public async Task ClusterRing_Standalone_Answers404AndHandoffIsIdle()
    {
        await using var node = await TestNode.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await node.GetAsync("/cluster/ring")).Status);
        Reply handoff = await node.GetAsync("/cluster/handoff");
        Assert.Contains("\"state\":\"idle\"", handoff.Body, StringComparison.Ordinal);
    }

    private static async Task AssertHandoffReportAsync(ClusterNodes cluster, string name, long expectedSent)
    {
        using JsonDocument json = JsonDocument.Parse((await cluster[name].GetAsync("/cluster/handoff")).Body);
        Assert.Equal(expectedSent, json.RootElement.GetProperty("keysSent").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("keysLeft").GetInt64());
    }

    /// <summary>Starts node a, which follows a ring file of its own (returned), and node b, which follows the cluster's.</summary>
    private static async Task<(RingMember A, RingMember B, string ARingFile)> StartAWithARingFileOfItsOwnAndBAsync(
        ClusterNodes cluster, Action<CacheNode.Options.NodeOptions>? configureA = null, Action<CacheNode.Options.NodeOptions>? configureB = null)
    {
        string aRingFile = Path.Combine(Path.GetDirectoryName(cluster.RingFile)!, "a.ring.json");
        await cluster.StartAsync("a", configure: o =>
        {
            o.RingFile = aRingFile;
            configureA?.Invoke(o);
        });
        await cluster.StartAsync("b", configure: configureB);
        return (cluster.Member("a"), cluster.Member("b"), aRingFile);
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
