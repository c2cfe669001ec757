using KubeCache.Testing;

namespace KubeCache.Router.Tests.Resp;

/// <summary>Errors the router makes itself are Redis-shaped; errors from a node pass through unchanged.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed class ErrorReplyTests(RouterClusterFixture fixture)
{
    private RouterCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task UnknownCommand_WithArguments_NamesCommandAndArguments()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();

        RespReply.Error("ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b'", await client.CallAsync("NOSUCH", "a", "b"));
        RespReply.Simple("PONG", await client.CallAsync("PING"));
    }

    [Theory]
    [InlineData("get")]
    [InlineData("set", "k")]
    [InlineData("incrby", "k")]
    [InlineData("ttl", "k", "extra")]
    [InlineData("mget")]
    [InlineData("del")]
    [InlineData("echo")]
    [InlineData("ping", "a", "b")]
    [InlineData("dbsize", "x")]
    [InlineData("scan")]
    public async Task WrongNumberOfArguments_AnyCommand_RedisShapedArityError(string command, params string[] arguments)
    {
        await using RespTestClient client = await Cluster.ConnectAsync();

        RespReply.Error($"ERR wrong number of arguments for '{command}' command", await client.CallAsync([command.ToUpperInvariant(), .. arguments]));
    }

    [Fact]
    public async Task NodeErrorReplies_IncrOfTextAndBadSetOption_PassThroughUnchanged()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string key = Keys.Unique("errors");
        RespReply.Ok(await client.CallAsync("SET", key, "text"));

        RespReply.Error("ERR value is not an integer or out of range", await client.CallAsync("INCR", key));
        RespReply.Error("ERR syntax error", await client.CallAsync("SET", key, "v", "NOSUCHOPTION"));
        RespReply.Error("ERR value is not an integer or out of range", await client.CallAsync("EXPIRE", key, "soon"));
    }

    [Fact]
    public async Task KeyCommand_RouterWithoutRing_SaysItHasNoRingYet()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(1, fenced: false, writeRing: false);
        await using RespTestClient client = await cluster.ConnectAsync();

        RespReply.Error("ERR the router has no ring yet", await client.CallAsync("GET", "k"));
        RespReply.Error("ERR the router has no ring yet", await client.CallAsync("MGET", "a", "b"));
        RespReply.Error("ERR the router has no ring yet", await client.CallAsync("DBSIZE"));
        RespReply.Simple("PONG", await client.CallAsync("PING"));
        Assert.Contains("ring_epoch:0", (await client.CallAsync("INFO")).AsString(), StringComparison.Ordinal);
    }
}
