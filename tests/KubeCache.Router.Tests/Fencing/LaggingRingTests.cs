using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Hosting;
using KubeCache.Testing;
using KubeCache.Topology;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.Router.Tests.Fencing;

/// <summary>
/// Ring changes that each process sees at its own moment (issue 8): node b joins node a, and the
/// tests choose who has applied which document when a client's command arrives.
/// </summary>
public sealed class LaggingRingTests : IAsyncLifetime
{
    private readonly SplitRingCluster _cluster = new();
    private RingDocument _one = null!;
    private RingDocument _twoStarted = null!;
    private RingDocument _twoFinished = null!;

    public async Task InitializeAsync()
    {
        (_one, _twoStarted, _twoFinished) = _cluster.ReserveBJoiningA();
        await _cluster.StartRouterAsync();
        await _cluster.PublishAsync(_one, "router");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private string MovingKey(string prefix) => SplitRingCluster.KeyOwnedBy(_twoFinished, "b", prefix);

    private async Task StartBothAsync()
    {
        await _cluster.StartNodeAsync("a");
        await _cluster.StartNodeAsync("b");
        await _cluster.PublishAsync(_one, "a", "b");
    }

    /// <summary>
    /// A rebalance finished without node c and c was stopped; the router has not seen the finished
    /// ring yet and sends to c, which refuses the connection. The command reached no node, so the
    /// router asks the other members, learns the newer ring and sends it to the key's owner there.
    /// </summary>
    [Fact]
    public async Task Set_ThroughRouterWhoseOwnerWasStoppedAfterAFinishItHasNotSeen_GoesToTheNewOwner()
    {
        RingMember c = _cluster.Reserve("c");
        RingDocument withC = SplitRingCluster.Document(2, [_cluster.Member("a"), c]);
        RingDocument withoutC = SplitRingCluster.Document(3, [_cluster.Member("a"), _cluster.Member("b")]);
        string key = RouterCluster.FindKey("stopped-owner", k =>
            withC.CurrentRing().OwnerOf(System.Text.Encoding.UTF8.GetBytes(k)).Name == "c"
            && withoutC.CurrentRing().OwnerOf(System.Text.Encoding.UTF8.GetBytes(k)).Name == "b");
        await _cluster.PublishAsync(withC, "router");
        await _cluster.StartNodeAsync("a");
        await _cluster.StartNodeAsync("b");
        await _cluster.PublishAsync(withoutC, "a", "b");
        await using RespTestClient client = await _cluster.ConnectAsync();

        RespReply.Ok(await client.CallAsync("SET", key, "v1"));

        RespReply.Bulk("v1", await client.CallAsync("GET", key));
        Assert.Equal(3, _cluster.Router.Routes.Routes!.Document.Epoch);
    }

    /// <summary>
    /// The owner c is down and no member knows a newer ring: the commands that fail meanwhile share
    /// one ask of the other members, instead of each costing them a KVRING.
    /// </summary>
    [Fact]
    public async Task Set_ManyWhileOwnerDownAndNoNewerRing_OtherMembersAskedOnce()
    {
        RingMember c = _cluster.Reserve("c");
        RingDocument withC = SplitRingCluster.Document(2, [_cluster.Member("a"), c]);
        string key = SplitRingCluster.KeyOwnedBy(withC, "c", "down-owner");
        CacheNodeServer a = await _cluster.StartNodeAsync("a");
        await _cluster.PublishAsync(withC, "router", "a");
        await using RespTestClient client = await _cluster.ConnectAsync();
        long before = await KvringCallsAsync(a);

        for (int i = 0; i < 50; i++)
        {
            Assert.True((await client.CallAsync("SET", key, "v")).IsError);
        }

        // One ask of a, plus at most the router's ring declaration on each connection it opens to a.
        Assert.InRange(await KvringCallsAsync(a) - before, 1, 1 + KubeCache.Router.Upstream.UpstreamOptions.DefaultConnectionsPerNode);
    }

    /// <summary>KVRING commands node <paramref name="node"/> has answered, from its /metrics.</summary>
    private static async Task<long> KvringCallsAsync(CacheNodeServer node)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.HttpEndPoint}") };
        string metrics = await http.GetStringAsync("/metrics");
        return metrics.Split('\n')
            .Where(line => line.StartsWith("kvcache_requests_total{", StringComparison.Ordinal) && line.Contains("command=\"kvring\"", StringComparison.Ordinal))
            .Sum(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Finding 1: the router still on epoch 1 sends the write to a after a handed the key to b.</summary>
    [Fact]
    public async Task Set_ThroughRouterOnPreviousEpochAfterHandoff_IsNotLost()
    {
        await StartBothAsync();
        string key = MovingKey("lagging-set");
        await using RespTestClient client = await _cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v1"));
        await _cluster.PublishAsync(_twoStarted, "a", "b");
        await _cluster.WaitForHandoffDoneAsync("a", 2);

        RespReply.Ok(await client.CallAsync("SET", key, "v2"));

        await _cluster.PublishAsync(_twoFinished, "a", "b", "router");
        RespReply.Bulk("v2", await client.CallAsync("GET", key));
    }

    /// <summary>Finding 1: a DEL through the lagging router answered 0 while the key lived on at b.</summary>
    [Fact]
    public async Task Del_ThroughRouterOnPreviousEpochAfterHandoff_RemovesTheKey()
    {
        await StartBothAsync();
        string key = MovingKey("lagging-del");
        await using RespTestClient client = await _cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v1"));
        await _cluster.PublishAsync(_twoStarted, "a", "b");
        await _cluster.WaitForHandoffDoneAsync("a", 2);

        RespReply.Integer(1, await client.CallAsync("DEL", key));

        await _cluster.PublishAsync(_twoFinished, "a", "b", "router");
        RespReply.Nil(await client.CallAsync("GET", key));
    }

    /// <summary>Finding 2: EXPIRE to a past time at the new owner was undone by a read of the previous owner's copy.</summary>
    [Fact]
    public async Task ExpireToPast_WhilePreviousOwnerLags_IsNotUndone()
    {
        await StartBothAsync();
        string key = MovingKey("expire-past");
        await using RespTestClient client = await _cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "old"));
        await _cluster.PublishAsync(_twoStarted, "router", "b");

        RespReply.Integer(1, await client.CallAsync("EXPIRE", key, "0"));

        RespReply.Nil(await client.CallAsync("GET", key));
        RespReply.Integer(0, await client.CallAsync("EXISTS", key));
    }

    /// <summary>Finding 2: a key whose TTL ran out at the new owner came back from the previous owner.</summary>
    [Fact]
    public async Task SetWithTtl_ExpiresWhilePreviousOwnerLags_StaysExpired()
    {
        await StartBothAsync();
        string key = MovingKey("ttl-runs-out");
        await using RespTestClient client = await _cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "old"));
        await _cluster.PublishAsync(_twoStarted, "router", "b");

        RespReply.Ok(await client.CallAsync("SET", key, "short", "PX", "200"));

        await Poll.UntilAsync(async () => (await client.CallAsync("GET", key)).IsNull, "the key to expire and stay expired");
        RespReply.Nil(await client.CallAsync("GET", key));
    }

    /// <summary>
    /// Finding 3: a's handoff batch, read before b had applied the ring, reached b after a DEL of
    /// the key and brought it back.
    /// </summary>
    [Fact]
    public async Task Del_WhileHandoffBatchWaitsForLaggingNewOwner_IsNotUndone()
    {
        await _cluster.StartNodeAsync("a");
        await _cluster.PublishAsync(_one, "a");
        string key = MovingKey("batch-after-del");
        await using RespTestClient client = await _cluster.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "old"));
        await _cluster.PublishAsync(_twoStarted, "a");
        await Poll.UntilAsync(
            () => Task.FromResult(_cluster.Node("a").Services.GetRequiredService<HandoffProgress>().State is HandoffState.Streaming or HandoffState.Retrying),
            "a to start handing off to the absent b");
        await _cluster.StartNodeAsync("b");
        await _cluster.PublishAsync(_one, "b");
        await _cluster.PublishAsync(_twoStarted, "router");

        RespReply.Integer(1, await client.CallAsync("DEL", key));

        await _cluster.PublishAsync(_twoStarted, "b");
        await _cluster.WaitForHandoffDoneAsync("a", 2);
        await _cluster.PublishAsync(_twoFinished, "a", "b", "router");
        RespReply.Nil(await client.CallAsync("GET", key));
    }

    /// <summary>Finding 7: every DEL of an absent key during a rebalance left a tombstone that nothing counted or bounded.</summary>
    [Fact]
    public async Task Del_ManyAbsentKeysDuringRebalance_LeavesNoStateBehind()
    {
        await StartBothAsync();
        await _cluster.PublishAsync(_twoStarted, "router", "a", "b");
        await using RespTestClient client = await _cluster.ConnectAsync();
        const int Deletes = 2000;
        for (int i = 0; i < Deletes; i++)
        {
            client.Queue("DEL", MovingKey("absent"));
        }

        await client.FlushAsync();
        for (int i = 0; i < Deletes; i++)
        {
            RespReply.Integer(0, await client.ReadAsync());
        }

        Assert.Equal(0, _cluster.Node("b").Store.GetStats().Items);
    }
}
