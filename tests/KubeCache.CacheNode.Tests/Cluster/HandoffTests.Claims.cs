using System.Net;
using System.Text;
using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Storage;
using KubeCache.Protocol;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>
/// A handed-off copy against the commands, takes and ring changes that race it at the new owner:
/// a copy must never land after a command that changed the key, nor under an older ring.
/// </summary>
public partial class HandoffTests
{
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
        (RingDocument moving, string key) = await MovingToBAsync(cluster);

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
    public async Task Handoff_OnAConnectionDeclaredBeforeAFlushHere_IsRefusedUntilDeclaredAgain()
    {
        // The bytes of an attempt its sender gave up on may be read only after a FLUSHALL here: a
        // copy in them must not land after the flush. A sender still waiting connects again.
        await using var cluster = new ClusterNodes();
        (RingDocument moving, string key) = await MovingToBAsync(cluster);
        await using RespTestClient early = await RespTestClient.ConnectAsync(cluster["b"].Server.HttpEndPoint);
        Assert.False((await early.CallAsync([Encoding.UTF8.GetBytes("KVRING"), moving.ToUtf8Json()])).IsError);
        await using (RespTestClient client = await RespTestClient.ConnectAsync(cluster["b"].Server.HttpEndPoint))
        {
            Assert.Equal("OK", (await client.CallAsync("FLUSHALL")).AsString());
        }

        RespValue refused = await early.CallAsync("KVHANDOFF", key, "from-before-the-flush", "0", "string");
        Assert.True(refused.IsError);
        Assert.StartsWith("KVFLUSHED ", refused.AsString(), StringComparison.Ordinal);
        Assert.Equal(StoreStatus.NotFound, cluster["b"].Server.Store.Peek(Encoding.UTF8.GetBytes(key), out _, out _, out _));

        await using RespTestClient again = await RespTestClient.ConnectAsync(cluster["b"].Server.HttpEndPoint);
        Assert.False((await again.CallAsync([Encoding.UTF8.GetBytes("KVRING"), moving.ToUtf8Json()])).IsError);
        Assert.Equal(1, (await again.CallAsync("KVHANDOFF", key, "after-the-flush", "0", "string")).AsInt64());
        Assert.Equal("after-the-flush", await cluster["b"].GetValueAsync(key));
    }

    /// <summary>Node b alone on a ring that moves keys from a (never started) to a and b; returns the ring and a key that moves to b.</summary>
    private static async Task<(RingDocument Moving, string Key)> MovingToBAsync(ClusterNodes cluster)
    {
        await cluster.StartAsync("b");
        RingMember a = ClusterNodes.MemberAt("a", Ports.Free());
        RingDocument moving = Document(2, [a, cluster.Member("b")], previous: Document(1, [a]));
        await cluster.PublishAsync(moving);
        await Poll.UntilAsync(async () => await cluster["b"].GetAsync("/cluster/ring") is { Status: HttpStatusCode.OK } ring && RingDocument.Parse(ring.Body).Epoch == 2,
            "b to use the moving ring", Deadline);
        return (moving, FirstKeyOf(moving.CurrentRing(), "b"));
    }

    [Fact]
    public async Task Take_AfterTheKeyLandedAndWasWrittenAndDeletedHere_DoesNotBringBackThePreviousOwnersOlderCopy()
    {
        // a's batch lands at b but a never hears (here: a's handoff cannot reach b at all, and the
        // test delivers the copy), so a keeps its copy. b writes the key, then deletes it; a later
        // command there must not take a's older copy and serve it.
        await using var cluster = new ClusterNodes();
        (RingMember a, RingMember b, string aRingFile) = await StartAWithARingFileOfItsOwnAndBAsync(cluster);
        Ring moving = Document(2, [a, b]).CurrentRing();
        string key = FirstKeyOf(moving, "b");
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

    [Fact]
    public void SameRingAtOtherAddresses_KeepsTheClaimsTheCopiesGivenAndThePreviousOwnersDone()
    {
        // b's own ring source gives the same point again naming the members at other addresses (a
        // pod's new address, or a proxy in between, as each node's file has in the cut-links history
        // test). Taken, it must not forget what the ring learnt: a claimed key must still refuse a
        // copy, or a key deleted here since comes back; a copy given must still answer its take
        // asked again, or the key is lost; a previous owner done is not asked again.
        (NodeRing ring, CacheStore store, byte[] key) = MovingRing();
        string id = Convert.ToBase64String(key);
        byte[] other = Enumerable.Range(0, 100).Select(Key).First(k => ring.Fence!.Judge(k, out _) == Ownership.MovingHere && !k.SequenceEqual(key));
        ring.Fence!.Claim(key);
        ring.Fence.Gave(id, "token-1", Value(1), ValueKind.String, 0);
        ring.Fence.HandedOff("a");

        RingMember a = ClusterNodes.MemberAt("a", 3), b = ClusterNodes.MemberAt("b", 4);
        Assert.True(ring.Offer(Document(2, [a, b], previous: Document(1, [a])), fromPeer: false));
        Assert.Equal("127.0.0.1:3", ring.Fence.Document.Members[0].Resp);

        Assert.Equal(StoreStatus.NotSet, StoreHandedOffCopy(ring, store, key));
        Assert.True(ring.Fence.TryGiven(id, "token-1", out GivenKey given));
        Assert.Equal(Value(1), given.Value);
        Assert.Equal(Ownership.Mine, ring.Fence.JudgeFor(other, store, writes: false, out _));
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
}
