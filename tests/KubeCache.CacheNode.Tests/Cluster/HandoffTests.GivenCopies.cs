using System.Net;
using System.Text;
using KubeCache.CacheNode.Storage;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>
/// The copies a previous owner gave to takes, which its handoff sends once more before KVDONE:
/// the only copy left when a take's answer was lost, and refused where the take was heard.
/// </summary>
public partial class HandoffTests
{
    [Fact]
    public async Task Take_WhoseAnswerIsLost_TheCopyGivenIsHandedOffBeforeKvdone()
    {
        // A take of the key is answered, but the answer never arrives and b asks no more: the
        // rebalance may finish before any command there asks again. a gave the key away, so its
        // handoff must send the copy it gave, or the key is gone. The finish, the only ring that
        // can follow (its coordinator waits for a's handoff), forgets both the copy given at a and
        // the take's token at b: the key must be at b by then, and stay.
        await using var cluster = new ClusterNodes();
        (string[] keys, RingDocument atA, OutageProxy link) = await StallHandoffToBAsync(cluster, keyCount: 1);
        await using (link)
        {
            await using (RespTestClient taker = await TakerAtAAsync(cluster, atA))
            {
                Assert.Equal("value:0", (await taker.CallAsync("KVTAKE", "2", keys[0], "lost-answer")).Items[0].AsString());
            }

            link.Restore();
            await cluster.WaitForHandoffDoneAsync("a", 2, Deadline);
            Assert.Equal("value:0", await cluster["b"].GetValueAsync(keys[0]));
            await AssertHandoffReportAsync(cluster, "a", expectedSent: 1);

            await cluster.PublishAsync(Document(2, [cluster.Member("a"), cluster.Member("b")]));
            await Poll.UntilAsync(async () => await cluster["b"].GetAsync("/cluster/ring") is { Status: HttpStatusCode.OK } ring && RingDocument.Parse(ring.Body).Previous is null,
                "b to use the finished ring", Deadline);
            Assert.Equal("value:0", await cluster["b"].GetValueAsync(keys[0]));
        }
    }

    [Fact]
    public async Task Take_WhoseAnswerIsLost_ThenFlushAll_TheCopyGivenIsForgotten()
    {
        // A FLUSHALL at a after it gave the key away: neither the take asked again nor the handoff
        // brings back what was given before the flush.
        await using var cluster = new ClusterNodes();
        (string[] keys, RingDocument atA, OutageProxy link) = await StallHandoffToBAsync(cluster, keyCount: 1);
        await using (link)
        {
            await using (RespTestClient taker = await TakerAtAAsync(cluster, atA))
            {
                Assert.Equal("value:0", (await taker.CallAsync("KVTAKE", "2", keys[0], "lost-answer")).Items[0].AsString());
                Assert.Equal("OK", (await taker.CallAsync("FLUSHALL")).AsString());
                Assert.True((await taker.CallAsync("KVTAKE", "2", keys[0], "lost-answer")).Items[0].IsNull);
            }

            link.Restore();
            await cluster.WaitForHandoffDoneAsync("a", 2, Deadline);
            Assert.Equal(HttpStatusCode.NotFound, (await cluster["b"].GetKeyAsync(keys[0])).Status);
        }
    }

    [Fact]
    public async Task Take_InABatchThatFailed_ThenKeyDeleted_TheCopyGivenSentAfterwardsIsRefused()
    {
        // b's DEL takes the key, which a's failed batch held, and deletes it: the copy a sends
        // afterwards must not bring it back.
        await using var cluster = new ClusterNodes();
        (string[] keys, _, OutageProxy link) = await StallHandoffToBAsync(cluster, keyCount: 1);
        await using (link)
        {
            await DeleteAtBThenRestoreAsync(cluster, keys, link);
        }
    }

    [Fact]
    public async Task Take_OfAKeyNoBatchHeldYet_ThenKeyDeleted_TheCopyGivenSentAfterwardsIsRefused()
    {
        // Batches of one key: a's walk is stuck on the first key it read, and the second is in no
        // batch when b's DEL takes it, so the take says no copy is on its way. The copy given is
        // sent all the same once the batches are through, and must not bring the key back.
        await using var cluster = new ClusterNodes();
        (string[] keys, _, OutageProxy link) = await StallHandoffToBAsync(cluster, keyCount: 2, handoffBatchKeys: 1);
        await using (link)
        {
            await DeleteAtBThenRestoreAsync(cluster, keys, link);
        }
    }

    [Fact]
    public async Task Take_BothAnswersLostThenTheSamePointAgain_AsksAgainWithTheSameToken()
    {
        // b's take is answered twice (a gives the key, then the same copy again) and both answers
        // are cut; b's own ring source then gives the same point naming a at another address, so b
        // judges again and takes again. It must ask with the same token: a gave the key to that one,
        // and a new token gets nothing (the key would read as absent, and be claimed).
        await using var cluster = new ClusterNodes();
        // b waits this long for the newer document once the take fails (the default, 1 s, is tight on a busy machine).
        (string[] keys, _, OutageProxy link) = await StallHandoffToBAsync(cluster, keyCount: 1, configureB: o => o.PreviousOwnerWait = Deadline);
        await using OutageProxy answersCut = new(cluster["a"].Server.HttpEndPoint, cutReplies: true);
        await using (link)
        {
            RingMember a = cluster.Member("a"), b = cluster.Member("b");
            RingMember behindCuts = new("a", answersCut.Address, answersCut.Address);
            await cluster.PublishAsync(Document(2, [behindCuts, b], previous: Document(1, [behindCuts])));
            await Poll.UntilAsync(async () => (await cluster["b"].GetAsync("/cluster/ring")).Body.Contains(answersCut.Address, StringComparison.Ordinal),
                "b to name a behind the proxy", Deadline);

            Task<Reply> read = cluster["b"].GetKeyAsync(keys[0]);
            await Poll.UntilAsync(() => Task.FromResult(answersCut.Cuts > 0), "a's answer to b's take to be cut", Deadline);
            await cluster.PublishAsync(Document(2, [a, b], previous: Document(1, [a])));

            Reply reply = await read;
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.Equal("value:0", await cluster["b"].GetValueAsync(keys[0]));
        }
    }

    private static async Task DeleteAtBThenRestoreAsync(ClusterNodes cluster, string[] keys, OutageProxy link)
    {
        await using (RespTestClient client = await RespTestClient.ConnectAsync(cluster["b"].Server.HttpEndPoint))
        {
            foreach (string key in keys)
            {
                Assert.Equal(1, (await client.CallAsync("DEL", key)).AsInt64());
            }
        }

        link.Restore();
        await cluster.WaitForHandoffDoneAsync("a", 2, Deadline);
        foreach (string key in keys)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await cluster["b"].GetKeyAsync(key)).Status);
        }
    }

    /// <summary>A connection to a that declared a's ring, as b's takes do; its answers reach the test, not b.</summary>
    private static async Task<RespTestClient> TakerAtAAsync(ClusterNodes cluster, RingDocument atA)
    {
        RespTestClient taker = await RespTestClient.ConnectAsync(cluster["a"].Server.HttpEndPoint);
        Assert.False((await taker.CallAsync([Encoding.UTF8.GetBytes("KVRING"), atA.ToUtf8Json()])).IsError);
        return taker;
    }

    /// <summary>
    /// Nodes a and b, a holding <paramref name="keyCount"/> keys that move to b, and a ring moving
    /// them: b's document names a, a's names b behind an <see cref="OutageProxy"/>, so a's handoff
    /// retries, and a keeps the keys until takes give them away. Returns the keys (values
    /// <c>value:i</c>), a's document and the link, still down.
    /// </summary>
    private static async Task<(string[] Keys, RingDocument AtA, OutageProxy Link)> StallHandoffToBAsync(
        ClusterNodes cluster, int keyCount, int? handoffBatchKeys = null, Action<CacheNode.Options.NodeOptions>? configureB = null)
    {
        (RingMember a, RingMember b, string aRingFile) = await StartAWithARingFileOfItsOwnAndBAsync(
            cluster, o => o.HandoffBatchKeys = handoffBatchKeys ?? o.HandoffBatchKeys, configureB);
        Ring moving = Document(2, [a, b]).CurrentRing();
        string[] keys = [.. Enumerable.Range(0, 100).Select(i => $"key:{i}").Where(k => moving.OwnerOf(Encoding.UTF8.GetBytes(k)).Name == "b").Take(keyCount)];
        await cluster.PublishAsync(Document(1, [a]), aRingFile);
        await cluster.WaitForHandoffDoneAsync("a", 1, Deadline);
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.Equal(StoreStatus.Ok, cluster["a"].Server.Store.Set(Encoding.UTF8.GetBytes(keys[i]), Encoding.UTF8.GetBytes($"value:{i}")));
        }

        var link = new OutageProxy(cluster["b"].Server.HttpEndPoint);
        RingDocument atA = Document(2, [a, new RingMember("b", link.Address, link.Address)], previous: Document(1, [a]));
        await cluster.PublishAsync(atA, aRingFile);
        await cluster.PublishAsync(Document(2, [a, b], previous: Document(1, [a])));
        await WaitForStateAsync(cluster, "a", "retrying");
        await Poll.UntilAsync(async () => await cluster["b"].GetAsync("/cluster/ring") is { Status: HttpStatusCode.OK } ring && RingDocument.Parse(ring.Body).Epoch == 2,
            "b to use the moving ring", Deadline);
        return (keys, atA, link);
    }
}
