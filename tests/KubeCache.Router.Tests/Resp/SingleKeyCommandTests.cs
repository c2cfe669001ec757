using KubeCache.Protocol;
using KubeCache.Router.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>Every key command of the node, through the router: the reply is the owner's and the key lives at its owner only.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed class SingleKeyCommandTests(RouterClusterFixture fixture)
{
    private RouterCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task StringCommands_ThroughRouter_ReplyAsTheNodeDoes()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string key = Keys("str");

        Reply.Ok(await client.CallAsync("SET", key, "v1"));
        Reply.Bulk("v1", await client.CallAsync("GET", key));
        Reply.Integer(0, await client.CallAsync("SETNX", key, "other"));
        Reply.Integer(4, await client.CallAsync("APPEND", key, "xy"));
        Reply.Integer(4, await client.CallAsync("STRLEN", key));
        Reply.Simple("string", await client.CallAsync("TYPE", key));
        Reply.Bulk("v1xy", await client.CallAsync("GETDEL", key));
        Reply.Nil(await client.CallAsync("GET", key));
        Reply.Ok(await client.CallAsync("PUT", key, "put"));
        Reply.Bulk("put", await client.CallAsync("SET", key, "v2", "GET"));
        Reply.Ok(await client.CallAsync("SETEX", key, "100", "v3"));
        Reply.Bulk("v3", await client.CallAsync("GETEX", key, "PERSIST"));
        Reply.Ok(await client.CallAsync("PSETEX", key, "100000", "v4"));
        Reply.Bulk("v4", await client.CallAsync("GET", key));
        await AssertOnlyAtOwnerAsync(key, "v4");
    }

    [Fact]
    public async Task CounterCommands_ThroughRouter_CountAtTheOwner()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string key = Keys("counter");

        Reply.Integer(1, await client.CallAsync("INCR", key));
        Reply.Integer(11, await client.CallAsync("INCRBY", key, "10"));
        Reply.Integer(10, await client.CallAsync("DECR", key));
        Reply.Integer(7, await client.CallAsync("DECRBY", key, "3"));
        await AssertOnlyAtOwnerAsync(key, "7");
    }

    [Fact]
    public async Task ExpiryCommands_ThroughRouter_SetAndReportTheOwnersTtl()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string key = Keys("ttl");
        long inAnHour = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();

        Reply.Ok(await client.CallAsync("SET", key, "v"));
        Reply.Integer(-1, await client.CallAsync("TTL", key));
        Reply.Integer(1, await client.CallAsync("EXPIRE", key, "100"));
        Assert.InRange((await client.CallAsync("TTL", key)).AsInt64(), 90, 100);
        Reply.Integer(1, await client.CallAsync("PEXPIRE", key, "200000"));
        Assert.InRange((await client.CallAsync("PTTL", key)).AsInt64(), 190_000, 200_000);
        Reply.Integer(1, await client.CallAsync("EXPIREAT", key, inAnHour.ToString()));
        Reply.Integer(inAnHour, await client.CallAsync("EXPIRETIME", key));
        Reply.Integer(1, await client.CallAsync("PEXPIREAT", key, (inAnHour * 1000).ToString()));
        Reply.Integer(inAnHour * 1000, await client.CallAsync("PEXPIRETIME", key));
        Reply.Integer(1, await client.CallAsync("PERSIST", key));
        Reply.Integer(-1, await client.CallAsync("PTTL", key));
        Reply.Integer(-2, await client.CallAsync("TTL", Keys("missing")));
        await AssertOnlyAtOwnerAsync(key, "v");
    }

    [Fact]
    public async Task Pipeline_CommandsForEveryNode_RepliesInRequestOrder()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string prefix = Keys("pipe");
        for (int i = 0; i < 200; i++)
        {
            client.Queue("SET", $"{prefix}:{i}", $"v{i}");
            client.Queue("GET", $"{prefix}:{i}");
            client.Queue("PING");
        }

        await client.FlushAsync();
        for (int i = 0; i < 200; i++)
        {
            Reply.Ok(await client.ReadAsync());
            Reply.Bulk($"v{i}", await client.ReadAsync());
            Reply.Simple("PONG", await client.ReadAsync());
        }

        Assert.Equal(3, Enumerable.Range(0, 200).Select(i => Cluster.OwnerOf($"{prefix}:{i}")).Distinct().Count());
    }

    /// <summary>The key holds <paramref name="value"/> at its owner and is absent from every other node.</summary>
    private async Task AssertOnlyAtOwnerAsync(string key, string value)
    {
        string owner = Cluster.OwnerOf(key);
        foreach (string name in Cluster.Ring.Members.Select(m => m.Name))
        {
            await using RespTestClient node = await Cluster.ConnectToNodeAsync(name);
            RespValue reply = await node.CallAsync("GET", key);
            if (name == owner)
            {
                Reply.Bulk(value, reply);
            }
            else
            {
                Reply.Nil(reply);
            }
        }
    }

    private static string Keys(string name) => Tests.Support.Keys.Unique(name);
}
