using System.Net;
using System.Text;
using System.Text.Json;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Storage;
using KubeCache.CacheNode.Tests.Storage;
using KubeCache.Protocol;
using KubeCache.Testing;
using KubeCache.Topology;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.CacheNode.Tests.Cluster;

public class HandoffTests
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
    public async Task Take_AfterAnAttemptTheNewOwnerNeverAnswered_SaysACopyMayStillLand()
    {
        // The new owner reads a's batch and hangs up without answering: the copies may still be
        // stored there (as a superseded or timed-out attempt's may), so a take of one of those
        // keys must say so, and the taker then refuses the copy when it lands.
        await using var receiver = new BatchRecordingReceiver(hangUp: true);
        await using var cluster = new ClusterNodes();
        await cluster.StartAsync("a");
        await cluster.PublishAsync(Document(1, [cluster.Member("a")]));
        await cluster.WaitForHandoffDoneAsync("a", 1, Deadline);
        Assert.Equal(StoreStatus.Ok, cluster["a"].Server.Store.Set(Key(1), Value(1)));

        RingDocument moving = Document(2, [ClusterNodes.MemberAt("r", receiver.Port)], previous: Document(1, [cluster.Member("a")]));
        await cluster.PublishAsync(moving);
        await WaitForStateAsync(cluster, "a", "retrying");

        await using RespTestClient taker = await RespTestClient.ConnectAsync(cluster["a"].Server.HttpEndPoint);
        Assert.False((await taker.CallAsync([Encoding.UTF8.GetBytes("KVRING"), moving.ToUtf8Json()])).IsError);
        RespValue taken = await taker.CallAsync("KVTAKE", "2", "key:1", "token-1");
        Assert.Equal(RespValueKind.Array, taken.Kind);
        Assert.Equal(Value(1), taken.Items[0].Bytes.ToArray());
        Assert.Equal(1, taken.Items[2].AsInt64());
    }

    [Theory]
    [InlineData("resp")]
    [InlineData("http")]
    public async Task Handoff_BatchSentAgainAfterItsAnswerWasLost_DoesNotBringBackAKeyDeletedMeanwhile(string protocol)
    {
        // The previous owner's batch lands and is stored, but its answer is lost on the way (a
        // broken connection), so the previous owner sends the batch again. A command deleted the
        // key in between, here where it is now: the second copy must not bring it back.
        await using var cluster = new ClusterNodes();
        await cluster.StartAsync("b");
        RingMember a = ClusterNodes.MemberAt("a", Ports.Free());
        RingDocument moving = Document(2, [a, cluster.Member("b")], previous: Document(1, [a]));
        await cluster.PublishAsync(moving);
        await Poll.UntilAsync(async () => await cluster["b"].GetAsync("/cluster/ring") is { Status: HttpStatusCode.OK } ring && RingDocument.Parse(ring.Body).Epoch == 2,
            "b to use the moving ring", Deadline);
        Ring ring = moving.CurrentRing();
        string key = Enumerable.Range(0, 100).Select(i => $"key:{i}").First(k => ring.OwnerOf(Encoding.UTF8.GetBytes(k)).Name == "b");

        await using RespTestClient previousOwner = await RespTestClient.ConnectAsync(cluster["b"].Server.HttpEndPoint);
        Assert.False((await previousOwner.CallAsync([Encoding.UTF8.GetBytes("KVRING"), moving.ToUtf8Json()])).IsError);
        Assert.Equal(1, (await previousOwner.CallAsync("KVHANDOFF", key, "handed-off", "0", "string")).AsInt64());

        if (protocol == "resp")
        {
            await using RespTestClient client = await RespTestClient.ConnectAsync(cluster["b"].Server.HttpEndPoint);
            Assert.Equal(1, (await client.CallAsync("DEL", key)).AsInt64());
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, (await cluster["b"].PostAsync("/delete?key=" + Uri.EscapeDataString(key), "")).Status);
        }

        Assert.Equal(0, (await previousOwner.CallAsync("KVHANDOFF", key, "handed-off", "0", "string")).AsInt64());
        Assert.Equal("OK", (await previousOwner.CallAsync("KVDONE", "2", "a")).AsString());
        Assert.Equal(HttpStatusCode.NotFound, (await cluster["b"].GetKeyAsync(key)).Status);
    }

    [Fact]
    public async Task Take_AfterTheKeyLandedAndWasWrittenAndDeletedHere_DoesNotBringBackThePreviousOwnersOlderCopy()
    {
        // a's batch lands at b but a never hears (here: a's handoff cannot reach b at all, and the
        // test delivers the copy), so a keeps its copy. b writes the key, then deletes it; a later
        // command there must not take a's older copy and serve it.
        await using var cluster = new ClusterNodes();
        string aRingFile = Path.Combine(Path.GetDirectoryName(cluster.RingFile)!, "a.ring.json");
        await cluster.StartAsync("a", configure: o => o.RingFile = aRingFile);
        await cluster.StartAsync("b");
        RingMember a = cluster.Member("a"), b = cluster.Member("b");
        Ring moving = Document(2, [a, b]).CurrentRing();
        string key = Enumerable.Range(0, 100).Select(i => $"key:{i}").First(k => moving.OwnerOf(Encoding.UTF8.GetBytes(k)).Name == "b");
        await File.WriteAllBytesAsync(aRingFile, Document(1, [a]).ToUtf8Json());
        await cluster.WaitForHandoffDoneAsync("a", 1, Deadline);
        Assert.Equal(StoreStatus.Ok, cluster["a"].Server.Store.Set(Encoding.UTF8.GetBytes(key), "older"u8));

        RingMember unreachableB = ClusterNodes.MemberAt("b", Ports.Free());
        await File.WriteAllBytesAsync(aRingFile, Document(2, [a, unreachableB], previous: Document(1, [a])).ToUtf8Json());
        await WaitForStateAsync(cluster, "a", "retrying");
        RingDocument atB = Document(2, [a, b], previous: Document(1, [a]));
        await cluster.PublishAsync(atB);
        await Poll.UntilAsync(async () => await cluster["b"].GetAsync("/cluster/ring") is { Status: HttpStatusCode.OK } ring && RingDocument.Parse(ring.Body).Epoch == 2,
            "b to use the moving ring", Deadline);

        await using RespTestClient previousOwner = await RespTestClient.ConnectAsync(cluster["b"].Server.HttpEndPoint);
        Assert.False((await previousOwner.CallAsync([Encoding.UTF8.GetBytes("KVRING"), atB.ToUtf8Json()])).IsError);
        Assert.Equal(1, (await previousOwner.CallAsync("KVHANDOFF", key, "older", "0", "string")).AsInt64());
        await using RespTestClient client = await RespTestClient.ConnectAsync(cluster["b"].Server.HttpEndPoint);
        Assert.Equal("OK", (await client.CallAsync("SET", key, "newer")).AsString());
        Assert.Equal(1, (await client.CallAsync("DEL", key)).AsInt64());

        Assert.True((await client.CallAsync("GET", key)).IsNull);
    }

    [Fact]
    public async Task StoreHandedOff_ATakeClaimsTheKeyMeanwhile_TheClaimWaitsForTheStore()
    {
        // A copy checked before a take's claim and stored after it would land after the command
        // that took the key, and bring back what that command deleted.
        (NodeRing ring, CacheStore store, byte[] key) = MovingRing();
        using var release = new ManualResetEventSlim();
        Task<StoreStatus?> handoff = await HoldHandedOffCopyAsync(ring, store, key, release);

        Task claim = OnItsOwnThread(() => ring.Fence!.Claim(key));
        await Task.Delay(300);
        Assert.False(claim.IsCompleted, "the claim went through while a copy of the key was between its check and its store");
        release.Set();
        Assert.Equal(StoreStatus.Ok, await handoff);
        await claim;

        // Claimed now: a second copy is refused.
        store.Delete(key);
        Assert.Equal(StoreStatus.NotSet, StoreHandedOffCopy(ring, store, key));
        Assert.Equal(StoreStatus.NotFound, store.Peek(key, out _, out _, out _));
    }

    [Fact]
    public async Task StoreHandedOff_ANewerRingArrivesMeanwhile_IsTakenOnlyOnceTheCopyIsStored()
    {
        // A copy stored after a newer ring is in use could undo what a command judged by that ring
        // did, or miss that ring's handoff walk.
        (NodeRing ring, CacheStore store, byte[] key) = MovingRing();
        using var release = new ManualResetEventSlim();
        Task<StoreStatus?> handoff = await HoldHandedOffCopyAsync(ring, store, key, release);

        RingDocument finished = Document(2, ring.Current!.Members);
        Task<bool> offer = OnItsOwnThread(() => ring.Offer(finished, fromPeer: false));
        await Task.Delay(300);
        Assert.False(offer.IsCompleted, "a newer ring was taken while a copy under the older one was between its check and its store");
        release.Set();
        Assert.Equal(StoreStatus.Ok, await handoff);
        Assert.True(await offer);

        // Under the finished ring no copy is taken at all.
        store.Delete(key);
        Assert.Null(StoreHandedOffCopy(ring, store, key));
    }

    /// <summary>Stores a handed-off copy of <paramref name="key"/> at epoch 2, as KVHANDOFF does.</summary>
    private static StoreStatus? StoreHandedOffCopy(NodeRing ring, CacheStore store, byte[] key, ManualResetEventSlim? holdUntil = null, Action? held = null) =>
        ring.StoreHandedOff(2, key, () =>
        {
            held?.Invoke();
            holdUntil?.Wait();
            return store.SetFromHandoff(key, Value(1), ValueKind.String, 0, store.Flushes);
        });

    /// <summary>Starts storing a handed-off copy and returns once it is between its check and its store, where it stays until <paramref name="release"/> is set.</summary>
    private static async Task<Task<StoreStatus?>> HoldHandedOffCopyAsync(NodeRing ring, CacheStore store, byte[] key, ManualResetEventSlim release)
    {
        var storing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<StoreStatus?> handoff = OnItsOwnThread(() => StoreHandedOffCopy(ring, store, key, release, storing.SetResult));
        await storing.Task;
        return handoff;
    }

    /// <summary>Runs <paramref name="work"/> on a thread of its own, so a busy thread pool cannot hold it back and pass for a lock.</summary>
    private static Task<T> OnItsOwnThread<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task OnItsOwnThread(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Node b's ring while every key of a's moves to a and b: one key that moves to b, and b's store.</summary>
    private static (NodeRing Ring, CacheStore Store, byte[] Key) MovingRing()
    {
        var store = new CacheStore(new StoreOptions { CapacityBytes = 16 << 20, ShardCount = 1 });
        var ring = new NodeRing(new CacheNode.Options.NodeOptions { NodeName = "b" }, store, Microsoft.Extensions.Logging.Abstractions.NullLogger<NodeRing>.Instance);
        RingMember a = ClusterNodes.MemberAt("a", 1), b = ClusterNodes.MemberAt("b", 2);
        Assert.True(ring.Offer(Document(2, [a, b], previous: Document(1, [a])), fromPeer: false));
        byte[] key = Enumerable.Range(0, 100).Select(Key).First(k => ring.Fence!.Judge(k, out _) == Ownership.MovingHere);
        return (ring, store, key);
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
