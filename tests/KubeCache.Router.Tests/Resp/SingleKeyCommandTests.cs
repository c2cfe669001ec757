using KubeCache.Protocol;
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

        RespReply.Ok(await client.CallAsync("SET", key, "v1"));
        RespReply.Bulk("v1", await client.CallAsync("GET", key));
        RespReply.Integer(0, await client.CallAsync("SETNX", key, "other"));
        RespReply.Integer(4, await client.CallAsync("APPEND", key, "xy"));
        RespReply.Integer(4, await client.CallAsync("STRLEN", key));
        RespReply.Simple("string", await client.CallAsync("TYPE", key));
        RespReply.Bulk("v1xy", await client.CallAsync("GETDEL", key));
        RespReply.Nil(await client.CallAsync("GET", key));
        RespReply.Ok(await client.CallAsync("PUT", key, "put"));
        RespReply.Bulk("put", await client.CallAsync("SET", key, "v2", "GET"));
        RespReply.Ok(await client.CallAsync("SETEX", key, "100", "v3"));
        RespReply.Bulk("v3", await client.CallAsync("GETEX", key, "PERSIST"));
        RespReply.Ok(await client.CallAsync("PSETEX", key, "100000", "v4"));
        RespReply.Bulk("v4", await client.CallAsync("GET", key));
        await AssertOnlyAtOwnerAsync(key, "v4");
    }

    [Fact]
    public async Task CounterCommands_ThroughRouter_CountAtTheOwner()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string key = Keys("counter");

        RespReply.Integer(1, await client.CallAsync("INCR", key));
        RespReply.Integer(11, await client.CallAsync("INCRBY", key, "10"));
        RespReply.Integer(10, await client.CallAsync("DECR", key));
        RespReply.Integer(7, await client.CallAsync("DECRBY", key, "3"));
        await AssertOnlyAtOwnerAsync(key, "7");
    }

    [Fact]
    public async Task ExpiryCommands_ThroughRouter_SetAndReportTheOwnersTtl()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string key = Keys("ttl");
        long inAnHour = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();

        RespReply.Ok(await client.CallAsync("SET", key, "v"));
        RespReply.Integer(-1, await client.CallAsync("TTL", key));
        RespReply.Integer(1, await client.CallAsync("EXPIRE", key, "100"));
        Assert.InRange((await client.CallAsync("TTL", key)).AsInt64(), 90, 100);
        RespReply.Integer(1, await client.CallAsync("PEXPIRE", key, "200000"));
        Assert.InRange((await client.CallAsync("PTTL", key)).AsInt64(), 190_000, 200_000);
        RespReply.Integer(1, await client.CallAsync("EXPIREAT", key, inAnHour.ToString()));
        RespReply.Integer(inAnHour, await client.CallAsync("EXPIRETIME", key));
        RespReply.Integer(1, await client.CallAsync("PEXPIREAT", key, (inAnHour * 1000).ToString()));
        RespReply.Integer(inAnHour * 1000, await client.CallAsync("PEXPIRETIME", key));
        RespReply.Integer(1, await client.CallAsync("PERSIST", key));
        RespReply.Integer(-1, await client.CallAsync("PTTL", key));
        RespReply.Integer(-2, await client.CallAsync("TTL", Keys("missing")));
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
            RespReply.Ok(await client.ReadAsync());
            RespReply.Bulk($"v{i}", await client.ReadAsync());
            RespReply.Simple("PONG", await client.ReadAsync());
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
                RespReply.Bulk(value, reply);
            }
            else
            {
                RespReply.Nil(reply);
            }
        }
    }

    private static string Keys(string name) => Testing.Keys.Unique(name);
}
