using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>MGET, MSET, DEL, UNLINK and EXISTS with keys on every node: split per owner, merged in request order.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed class MultiKeyCommandTests(RouterClusterFixture fixture)
{
    private RouterCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task MSet_KeysOfEveryNode_EachKeyLandsAtItsOwner()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string[] keys = KeysOnEveryNode("mset", 30);

        RespReply.Ok(await client.CallAsync(["MSET", .. keys.SelectMany(k => new[] { k, "v:" + k })]));

        foreach (string name in Cluster.Ring.Members.Select(m => m.Name))
        {
            await using RespTestClient node = await Cluster.ConnectToNodeAsync(name);
            string?[] held = RespReply.Strings(await node.CallAsync(["MGET", .. keys]));
            for (int i = 0; i < keys.Length; i++)
            {
                Assert.Equal(Cluster.OwnerOf(keys[i]) == name ? "v:" + keys[i] : null, held[i]);
            }
        }
    }

    [Fact]
    public async Task MGet_KeysOfEveryNodeWithMissesAndRepeats_ValuesInRequestOrder()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string[] keys = KeysOnEveryNode("mget", 20);
        RespReply.Ok(await client.CallAsync(["MSET", .. keys.SelectMany(k => new[] { k, "v:" + k })]));
        string missing = Keys.Unique("mget-missing");
        string[] asked = [keys[5], missing, .. keys.Reverse(), keys[5]];

        string?[] values = RespReply.Strings(await client.CallAsync(["MGET", .. asked]));

        Assert.Equal(asked.Select(k => k == missing ? null : "v:" + k), values);
    }

    [Fact]
    public async Task MSet_OddNumberOfArguments_WrongArity()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();

        RespReply.Error("ERR wrong number of arguments for 'mset' command", await client.CallAsync("MSET", "a", "1", "b"));
    }

    [Fact]
    public async Task Del_KeysOfEveryNodeWithMissesAndRepeats_CountsEachRemovedKeyOnce()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string[] keys = KeysOnEveryNode("del", 12);
        RespReply.Ok(await client.CallAsync(["MSET", .. keys.SelectMany(k => new[] { k, "v" })]));

        RespReply.Integer(6, await client.CallAsync(["DEL", .. keys[..6], keys[0], Keys.Unique("del-missing")]));
        RespReply.Integer(6, await client.CallAsync(["UNLINK", .. keys]));

        RespReply.Integer(0, await client.CallAsync(["EXISTS", .. keys]));
        foreach (CacheNode.Hosting.CacheNodeServer node in Cluster.Nodes)
        {
            await using RespTestClient direct = await RespTestClient.ConnectAsync(node.RespEndPoint!);
            RespReply.Integer(0, await direct.CallAsync(["EXISTS", .. keys]));
        }
    }

    [Fact]
    public async Task Exists_KeysOfEveryNodeWithRepeats_CountsEveryMention()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string[] keys = KeysOnEveryNode("exists", 9);
        RespReply.Ok(await client.CallAsync(["MSET", .. keys.SelectMany(k => new[] { k, "v" })]));

        RespValue reply = await client.CallAsync(["EXISTS", .. keys, keys[0], keys[8], Keys.Unique("exists-missing")]);

        RespReply.Integer(11, reply);
    }

    /// <summary><paramref name="count"/> fresh keys, every node owning at least one (the first keys are one per node).</summary>
    private string[] KeysOnEveryNode(string prefix, int count)
    {
        IEnumerable<string> onePerNode = Cluster.Ring.Members.Select(m => RouterCluster.FindKey(prefix, k => Cluster.OwnerOf(k) == m.Name));
        return [.. onePerNode, .. Enumerable.Range(0, count - Cluster.Ring.Members.Count).Select(i => Keys.Unique($"{prefix}{i}"))];
    }
}
