using System.Net;
using KubeCache.Consistency.Tests.History;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.Consistency.Tests;

/// <summary>
/// Takes: node-2, the key's new owner, takes it from its previous owner before serving it, while
/// that owner is gone, at another address, or its answer is late or lost on the way.
/// </summary>
public sealed partial class RingChangeRegressionTests
{
    /// <summary>
    /// node-2 is still on the rebalancing ring after a deadline finish that another member has
    /// applied, and the key's previous owner is gone (its address refuses connections): node-2
    /// learns the finished ring from that member and answers by it instead of -TRYAGAIN.
    /// </summary>
    [Fact]
    public async Task Get_AtNewOwnerWhosePreviousOwnerIsGoneAfterDeadlineFinish_AnswersByTheFinishedRing()
    {
        string key = MovingKey("gone");
        string previousOwner = PreviousOwnerOf(key).Name;
        Participant other = Cluster.Node(previousOwner == "node-0" ? "node-1" : "node-0");
        RingDocument ownerGone = MovingWithPreviousOwnerGone(previousOwner);
        RingDocument finished = ProcessCluster.Document(_moving.Epoch, _moving.Members.Select(m => Cluster.Node(m.Name)));
        await PublishAsync(ownerGone, Joining);
        await PublishAsync(finished, other);

        string get = await CallAsync(Joining, "GET", key);
        Cluster.WriteEverywhere(finished);
        await Cluster.AppliedAsync(finished, Deadline);

        Assert.Equal("(nil)", get);
    }

    /// <summary>
    /// As above, but no member has the finished ring yet when the GET arrives: it reaches node-2
    /// through node-2's own ring source 300 ms later. The GET waits for it (--previous-owner-wait,
    /// 1 s) and is answered by it; it was answered -TRYAGAIN at once, which the history checker
    /// counted against lagging routers (63 of its 94 wrong answers in a 30-schedule run).
    /// </summary>
    [Fact]
    public async Task Get_AtNewOwnerWhosePreviousOwnerIsGoneBeforeAnyMemberHasTheFinish_WaitsForItsRingSourceAndAnswersByIt()
    {
        string key = MovingKey("gone-late");
        string previousOwner = PreviousOwnerOf(key).Name;
        RingDocument ownerGone = MovingWithPreviousOwnerGone(previousOwner);
        RingDocument finished = ProcessCluster.Document(_moving.Epoch, _moving.Members.Select(m => Cluster.Node(m.Name)));
        await PublishAsync(ownerGone, Joining);

        Task<string> get = CallAsync(Joining, "GET", key);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Cluster.Write(Joining, finished);
        string answer = await get;
        Cluster.WriteEverywhere(finished);
        await Cluster.AppliedAsync(finished, Deadline);

        Assert.Equal("(nil)", answer);
    }

    /// <summary>
    /// node-2 tries to take the key from its previous owner at an address that refuses
    /// connections, then gets the document with the owner's real address: the take goes there.
    /// </summary>
    [Fact]
    public async Task Get_AtNewOwnerAfterPreviousOwnerWasUnreachableAtAnotherAddress_TakesFromItsAddressNow()
    {
        string key = MovingKey("address");
        Assert.Equal("OK", await CallAsync(Router, "SET", key, "v1"));
        string previousOwner = PreviousOwnerOf(key).Name;
        RingDocument elsewhere = MovingWithPreviousOwnerGone(previousOwner);
        await PublishAsync(elsewhere, Joining);
        string unreachable = await CallAsync(Joining, "GET", key);
        // Same epoch, both rebalancing: wait for the document itself, not only its epoch.
        Cluster.Write(Joining, _moving);
        await Poll.UntilAsync(async () => (await Joining.AppliedAsync())?.ToUtf8Json().SequenceEqual(_moving.ToUtf8Json()) == true,
            "node-2 to use the document with the previous owner's real address", Deadline, TimeSpan.FromMilliseconds(50));

        Assert.Equal("first TRYAGAIN, then v1", $"first {unreachable.Split(' ')[0]}, then {await CallAsync(Joining, "GET", key)}");
        await FinishAsync();
    }

    /// <summary>
    /// node-2 takes the key from its previous owner (whose handoff batch to node-2 is held), which
    /// removes it and answers; the answer is held on the way while node-2 leaves the ring again and
    /// its handoff of that ring runs. The handoff must wait for the take and send the key on:
    /// node-2 holds the only copy, and once it has said KVDONE nobody takes from it any more.
    /// </summary>
    [Fact]
    public async Task Get_AtNewOwnerWhoseTakeIsAnsweredAfterItLeftTheRing_KeyHandedOnNotLost()
    {
        await using TakeLinks links = await LinkTakeAsync("late-take", previousOwner => new HoldingProxy(previousOwner, holdReplies: true));
        (string key, HoldingProxy handoff, HoldingProxy answer) = links;
        Task<string> taking = CallAsync(Joining, "GET", key);
        await Poll.UntilAsync(() => answer.ReceivedBytes > 0, "the previous owner's answer to the take to reach the held link");

        Participant[] staying = [Cluster.Node("node-0"), Cluster.Node("node-1")];
        RingDocument leaving = ProcessCluster.Document(_moving.Epoch + 1, staying,
            new RingGeneration(_moving.Epoch, _moving.Members, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        await PublishAsync(leaving, Joining);
        // Without the wait, node-2's handoff (nothing to send yet) is done at once; 2 s covers a loaded machine.
        await Task.WhenAny(ProcessCluster.HandoffsDoneAsync([Joining], leaving.Epoch, Deadline), Task.Delay(TimeSpan.FromSeconds(2)));
        answer.Release();
        await taking;
        handoff.Release();
        await PublishAsync(leaving, [.. Cluster.All.Where(p => p != Joining)]);
        await ProcessCluster.HandoffsDoneAsync([.. staying, Joining], leaving.Epoch, Deadline);
        RingDocument left = ProcessCluster.Document(leaving.Epoch, staying);
        Cluster.WriteEverywhere(left);
        await Cluster.AppliedAsync(left, Deadline);

        Assert.Equal("v1", await CallAsync(Router, "GET", key));
    }

    /// <summary>
    /// node-2 takes the key from its previous owner, which removes it and answers; the connection
    /// breaks before the answer arrives. A take must be repeatable: asked again, the previous
    /// owner hands over the same copy instead of answering that it has nothing.
    /// </summary>
    [Fact]
    public async Task Get_AtNewOwnerWhoseTakeAnswerIsLostOnTheWay_TakenAgainNotLost()
    {
        await using TakeLinks links = await LinkTakeAsync("cut-take", previousOwner => new HoldingProxy(previousOwner, cutFirstReply: true));
        (string key, HoldingProxy handoff, HoldingProxy answer) = links;

        string first = await CallAsync(Joining, "GET", key);
        string value = first.StartsWith("TRYAGAIN", StringComparison.Ordinal) ? await CallAsync(Joining, "GET", key) : first;
        handoff.Release();
        await FinishAsync();

        Assert.Equal("answer cut: True, GET v1, then v1", $"answer cut: {answer.CutBytes > 0}, GET {value}, then {await CallAsync(Router, "GET", key)}");
    }

    /// <summary>
    /// Writes a fresh key (value v1) that moves to node-2, and links node-2 to the key's previous
    /// owner through the proxy <paramref name="answer"/> makes for that owner's address, while the
    /// previous owner's handoff batches to node-2 are held: the key moves by node-2's take.
    /// </summary>
    private async Task<TakeLinks> LinkTakeAsync(string prefix, Func<IPEndPoint, HoldingProxy> answer)
    {
        string key = MovingKey(prefix);
        Assert.Equal("OK", await CallAsync(Router, "SET", key, "v1"));
        Participant previousOwner = PreviousOwnerOf(key);
        var links = new TakeLinks(key, new HoldingProxy(Joining.Process!.RespEndPoint), answer(previousOwner.Process!.RespEndPoint));
        await PublishAsync(new RingDocument
        {
            Cluster = _moving.Cluster,
            Epoch = _moving.Epoch,
            Members = _moving.Members,
            Previous = _moving.Previous! with { Members = [.. _moving.Previous!.Members.Select(m => m.Name == previousOwner.Name ? m with { Resp = links.Answer.Address } : m)] },
        }, Joining);
        await PublishAsync(ThroughLink(links.Handoff), previousOwner);
        return links;
    }

    /// <summary>The moving ring with <paramref name="previousOwner"/> at an address that refuses connections in its previous ring.</summary>
    private RingDocument MovingWithPreviousOwnerGone(string previousOwner)
    {
        RingGeneration before = _moving.Previous!;
        return new RingDocument
        {
            Cluster = _moving.Cluster,
            Epoch = _moving.Epoch,
            Members = _moving.Members,
            Previous = before with { Members = [.. before.Members.Select(m => m.Name == previousOwner ? m with { Resp = $"127.0.0.1:{Ports.Free()}" } : m)] },
        };
    }

    /// <summary>A take's key and its two held links (see <see cref="LinkTakeAsync"/>).</summary>
    private sealed record TakeLinks(string Key, HoldingProxy Handoff, HoldingProxy Answer) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Handoff.DisposeAsync();
            await Answer.DisposeAsync();
        }
    }
}
