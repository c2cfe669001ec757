using System.Text;
using KubeCache.Consistency.Tests.History;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.Consistency.Tests;

/// <summary>
/// Issue 8's findings 1–3, each pinned with ring files applied in a chosen order: node-2 joins
/// node-0 and node-1, and a key moves from its previous owner to node-2 (takes from that previous
/// owner: RingChangeRegressionTests.Takes.cs). router-0 is the router
/// that lags when a test makes one lag; router-1 and router-2 take each document with the nodes.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class RingChangeRegressionTests(HistoryClusterFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly List<RespTestClient> _clients = [];
    private RingDocument _moving = null!;

    private ProcessCluster Cluster => fixture.Cluster;

    private Participant LaggingRouter => Cluster.Routers[0];

    private Participant Router => Cluster.Routers[1];

    private Participant Joining => Cluster.Node("node-2");

    private IEnumerable<Participant> Nodes => Cluster.Nodes;

    private IEnumerable<Participant> RoutersButLagging => Cluster.Routers.Skip(1);

    /// <summary>Empty stores on the ring {node-0, node-1}; the document that adds node-2 is prepared, not published.</summary>
    public async Task InitializeAsync()
    {
        RingDocument before = ProcessCluster.Document(Cluster.All.Max(p => p.Written?.Epoch ?? 0) + 1, [Cluster.Node("node-0"), Cluster.Node("node-1")]);
        Cluster.WriteEverywhere(before);
        await Cluster.EmptyStoresAsync(before, Deadline);
        _moving = ProcessCluster.Document(before.Epoch + 1, [Cluster.Node("node-0"), Cluster.Node("node-1"), Joining],
            new RingGeneration(before.Epoch, before.Members, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    public async Task DisposeAsync()
    {
        foreach (RespTestClient client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>Finding 1: after node-0's handoff has sent the key, a router still on the previous ring writes and deletes at node-0.</summary>
    [Fact]
    public async Task SetAndDel_ThroughRouterOnPreviousEpochAfterHandoffSentTheKey_WriteKeptAndDeleteCounted()
    {
        string written = MovingKey("f1-set"), deleted = MovingKey("f1-del");
        Assert.Equal("OK", await CallAsync(Router, "SET", written, "v1"));
        Assert.Equal("OK", await CallAsync(Router, "SET", deleted, "v1"));
        await PublishAsync(_moving, [.. Nodes, .. RoutersButLagging]);
        await ProcessCluster.HandoffsDoneAsync([Cluster.Node("node-0"), Cluster.Node("node-1")], _moving.Epoch, Deadline);

        string set = await CallAsync(LaggingRouter, "SET", written, "v2");
        string del = await CallAsync(LaggingRouter, "DEL", deleted);
        await FinishAsync();

        Assert.Equal(
            "SET OK, DEL 1; written v2 / v2, deleted (nil) / (nil)",
            $"SET {set}, DEL {del}; written {await CallAsync(LaggingRouter, "GET", written)} / {await CallAsync(Router, "GET", written)}, "
            + $"deleted {await CallAsync(LaggingRouter, "GET", deleted)} / {await CallAsync(Router, "GET", deleted)}");
    }

    /// <summary>Finding 2: EXPIRE k 0 at the new owner while the previous owner still holds the key (its handoff not started).</summary>
    [Fact]
    public async Task ExpireToPast_DuringRebalanceBeforeHandoff_ValueNotBroughtBack()
    {
        string key = MovingKey("f2-expire");
        Assert.Equal("OK", await CallAsync(Router, "SET", key, "v"));
        await PublishAsync(_moving, [.. Cluster.Routers]);

        string expire = await CallAsync(Router, "EXPIRE", key, "0");
        string during = await CallAsync(Router, "GET", key);
        await FinishAsync();

        Assert.Equal("EXPIRE 1; GET during (nil), after (nil)", $"EXPIRE {expire}; GET during {during}, after {await CallAsync(Router, "GET", key)}");
    }

    /// <summary>Finding 2: a value whose short TTL ran out at the new owner must not give way to the previous owner's older value.</summary>
    [Fact]
    public async Task ShortTtl_RunsOutAtNewOwnerDuringRebalance_OlderValueNotBroughtBack()
    {
        string key = MovingKey("f2-ttl");
        Assert.Equal("OK", await CallAsync(Router, "SET", key, "old"));
        await PublishAsync(_moving, [.. Cluster.Routers]);

        Assert.Equal("OK", await CallAsync(Router, "SET", key, "new", "PX", "300"));
        await Poll.UntilAsync(async () => await CallAsync(Joining, "GET", key) == "(nil)", "the TTL to run out at node-2");
        string during = await CallAsync(Router, "GET", key);
        await FinishAsync();

        Assert.Equal("GET during (nil), after (nil)", $"GET during {during}, after {await CallAsync(Router, "GET", key)}");
    }

    /// <summary>
    /// Finding 3: node-0's handoff batch holding the key is in flight (node-0's link to node-2 held)
    /// when the key is deleted; it reaches node-2 before node-2 has applied the ring.
    /// </summary>
    [Fact]
    public async Task Del_WhileHandoffBatchInFlightToOwnerNotOnTheRingYet_KeyStaysDeleted()
    {
        string key = MovingKey("f3-del");
        Assert.Equal("OK", await CallAsync(Router, "SET", key, "v"));
        await using var link = new HoldingProxy(Joining.Process!.RespEndPoint);
        Participant sender = PreviousOwnerOf(key);
        await PublishAsync(ThroughLink(link), sender);
        await Poll.UntilAsync(() => link.ReceivedBytes > 0, "the handoff batch to reach the held link");
        await PublishAsync(_moving, [.. Cluster.Routers]);

        // A design that answers the DEL at once is checked with the batch still held (2 s covers a
        // loaded machine); one whose DEL waits for the batch gets the link released within the
        // routers' upstream timeout (5 s here).
        Task<string> deleting = CallAsync(Router, "DEL", key);
        await Task.WhenAny(deleting, Task.Delay(TimeSpan.FromSeconds(2)));
        link.Release();
        string del = await deleting;
        await ProcessCluster.HandoffsDoneAsync([sender], _moving.Epoch, Deadline);
        await FinishAsync();

        Assert.Equal("DEL 1; GET after (nil)", $"DEL {del}; GET after {await CallAsync(Router, "GET", key)}");
    }

    /// <summary>
    /// Finding 3 (FLUSHALL): node-0's handoff batch holding the key is in flight to node-2 (the
    /// link held) when a router still on the ring before the change flushes; that router knows
    /// neither node-2 nor that node-0 sends to it, and node-0's flush waits for the batch.
    /// </summary>
    [Fact]
    public async Task FlushAll_ThroughLaggingRouterWhileHandoffBatchInFlight_KeyStaysFlushed()
    {
        string key = MovingKey("f3-flush");
        Assert.Equal("OK", await CallAsync(Router, "SET", key, "v"));
        await using var link = new HoldingProxy(Joining.Process!.RespEndPoint);
        Participant sender = PreviousOwnerOf(key);
        await PublishAsync(_moving, Joining);
        await PublishAsync(ThroughLink(link), sender);
        await Poll.UntilAsync(() => link.ReceivedBytes > 0, "the handoff batch to reach the held link");

        // The sender's flush cannot finish while its batch is held; 1 s lets the other nodes'
        // flushes finish first, well inside the sender's 10 s peer timeout.
        Task<string> flushing = CallAsync(LaggingRouter, "FLUSHALL");
        await Task.WhenAny(flushing, Task.Delay(TimeSpan.FromSeconds(1)));
        link.Release();
        string flush = await flushing;
        await FinishAsync();

        Assert.Equal("FLUSHALL OK; GET after (nil)", $"FLUSHALL {flush}; GET after {await CallAsync(Router, "GET", key)}");
    }

    /// <summary>
    /// A deadline finish: the previous owner never handed the key off (it goes from the ring
    /// before straight to the finished one), node-2 takes a newer write, and the next change gives
    /// the key back to the previous owner, which must take node-2's copy rather than serve the
    /// one the finish left behind.
    /// </summary>
    [Fact]
    public async Task Get_AfterDeadlineFinishLeftKeyAtPreviousOwnerAndKeyMovesBack_NewerValue()
    {
        string key = MovingKey("deadline");
        Assert.Equal("OK", await CallAsync(Router, "SET", key, "old"));
        Participant previousOwner = PreviousOwnerOf(key);
        RingDocument finished = ProcessCluster.Document(_moving.Epoch, _moving.Members.Select(m => Cluster.Node(m.Name)));
        await PublishAsync(finished, [.. Cluster.All.Where(p => p != previousOwner)]);
        Assert.Equal("OK", await CallAsync(Router, "SET", key, "new"));
        await PublishAsync(finished, previousOwner);

        Participant[] staying = [Cluster.Node("node-0"), Cluster.Node("node-1")];
        RingDocument back = ProcessCluster.Document(finished.Epoch + 1, staying,
            new RingGeneration(finished.Epoch, finished.Members, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        await PublishAsync(back, [.. Cluster.All]);
        string during = await CallAsync(Router, "GET", key);
        await ProcessCluster.HandoffsDoneAsync([.. staying, Joining], back.Epoch, Deadline);
        RingDocument backFinished = ProcessCluster.Document(back.Epoch, staying);
        Cluster.WriteEverywhere(backFinished);
        await Cluster.AppliedAsync(backFinished, Deadline);

        Assert.Equal("GET during new, after new", $"GET during {during}, after {await CallAsync(Router, "GET", key)}");
    }

    /// <summary>
    /// node-2 starts as a new, empty process whose ring source has delivered nothing yet (a pod
    /// whose watch lags), while a router already routes the moving key to it: node-2 must not
    /// answer from its empty store, but take the router's ring and the key from its previous owner.
    /// </summary>
    [Fact]
    public async Task GetAndAppend_ThroughRouterAtNewOwnerThatHasNoRingYet_SeeTheValue()
    {
        string key = MovingKey("no-ring");
        Assert.Equal("OK", await CallAsync(Router, "SET", key, "v1"));
        Joining.DeleteRingFile();
        await Cluster.ReplaceNodeAsync(Joining);
        await Cluster.NodesRunningAsync();
        await PublishAsync(_moving, Router);

        string get = await CallAsync(Router, "GET", key);
        string append = await CallAsync(Router, "APPEND", key, "+");
        await FinishAsync();

        Assert.Equal("GET v1, APPEND 3, then v1+", $"GET {get}, APPEND {append}, then {await CallAsync(LaggingRouter, "GET", key)}");
    }

    /// <summary>
    /// node-2 owns the key, is removed (the key moves to node-0 or node-1) and comes back as a new,
    /// empty process whose ring file still holds the ring it owned the key in; a router on the ring
    /// that adds node-2 back sends the key there. The router's connection declares its ring, so
    /// node-2 judges the commands by it and takes the key from its previous owner instead of
    /// answering from its empty store.
    /// </summary>
    [Fact]
    public async Task GetAndAppend_ThroughRouterAheadOfNodeRestartedWithStaleRingThatOwnsTheKey_SeeTheValue()
    {
        string key = MovingKey("back");
        Participant[] staying = [Cluster.Node("node-0"), Cluster.Node("node-1")];
        RingDocument owned = ProcessCluster.Document(_moving.Epoch, [.. staying, Joining]);
        Cluster.WriteEverywhere(owned);
        await Cluster.AppliedAsync(owned, Deadline);
        RingDocument removed = ProcessCluster.Document(owned.Epoch + 1, staying);
        await PublishAsync(removed, [.. Cluster.All.Where(p => p != Joining)]);
        await Cluster.ReplaceNodeAsync(Joining);
        await Cluster.NodesRunningAsync();
        await Cluster.AppliedAsync(owned, Deadline, Joining);
        Assert.Equal("OK", await CallAsync(Router, "SET", key, "v1"));

        RingDocument back = ProcessCluster.Document(removed.Epoch + 1, [.. staying, Joining],
            new RingGeneration(removed.Epoch, removed.Members, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        await PublishAsync(back, Router);
        string get = await CallAsync(Router, "GET", key);
        string append = await CallAsync(Router, "APPEND", key, "+");

        Assert.Equal("GET v1, APPEND 3", $"GET {get}, APPEND {append}");
        RingDocument finished = ProcessCluster.Document(back.Epoch, [.. staying, Joining]);
        Cluster.WriteEverywhere(finished);
        await Cluster.AppliedAsync(finished, Deadline);
    }

    /// <summary>The moving document with node-2's RESP address replaced by <paramref name="link"/>'s.</summary>
    private RingDocument ThroughLink(HoldingProxy link) => new()
    {
        Cluster = _moving.Cluster,
        Epoch = _moving.Epoch,
        Members = [.. _moving.Members.Select(m => m.Name == Joining.Name ? m with { Resp = link.Address } : m)],
        Previous = _moving.Previous,
    };

    /// <summary>The node that owns <paramref name="key"/> in the ring before the change, where it moves from.</summary>
    private Participant PreviousOwnerOf(string key) => Cluster.Node(_moving.PreviousRing()!.OwnerOf(Encoding.UTF8.GetBytes(key)).Name);

    /// <summary>A fresh key that node-2 owns in the new ring (so it moves there).</summary>
    private string MovingKey(string prefix)
    {
        for (int i = 0; ; i++)
        {
            string key = $"{prefix}:{i}";
            if (_moving.CurrentRing().OwnerOf(Encoding.UTF8.GetBytes(key)).Name == Joining.Name)
            {
                return key;
            }
        }
    }

    private async Task PublishAsync(RingDocument document, params Participant[] participants)
    {
        foreach (Participant participant in participants)
        {
            Cluster.Write(participant, document);
        }

        await Cluster.AppliedAsync(document, Deadline, participants);
    }

    /// <summary>The rest of the rebalance, as the coordinator runs it: everyone on the new ring, handoffs done, then the finish document.</summary>
    private async Task FinishAsync()
    {
        await PublishAsync(_moving, [.. Cluster.All.Where(p => !(p.Written?.Epoch == _moving.Epoch && p.Written.Previous is not null && p.Written.Members.SequenceEqual(_moving.Members)))]);
        await Cluster.AppliedAsync(_moving, Deadline);
        await ProcessCluster.HandoffsDoneAsync([Cluster.Node("node-0"), Cluster.Node("node-1")], _moving.Epoch, Deadline);
        RingDocument finished = ProcessCluster.Document(_moving.Epoch, [Cluster.Node("node-0"), Cluster.Node("node-1"), Joining]);
        Cluster.WriteEverywhere(finished);
        await Cluster.AppliedAsync(finished, Deadline);
    }

    /// <summary>One command through a router or to a node; the reply as text, <c>(nil)</c> for nil.</summary>
    private async Task<string> CallAsync(Participant participant, params string[] command)
    {
        RespTestClient client = await RespTestClient.ConnectAsync(participant.Process!.RespEndPoint);
        _clients.Add(client);
        return (await client.CallAsync(command)).AsString() ?? "(nil)";
    }
}
