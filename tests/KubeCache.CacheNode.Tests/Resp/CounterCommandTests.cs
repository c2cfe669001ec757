using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>INCR, INCRBY, DECR and DECRBY, including values that are not integers and overflow.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class CounterCommandTests(NodeFixture fixture)
{
    [Fact]
    public async Task Incr_MissingKey_StartsFromZero()
    {
        string key = Keys.Unique("incr");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Integer(1, await client.CallAsync("INCR", key));
        RespReply.Integer(11, await client.CallAsync("INCRBY", key, "10"));
        RespReply.Integer(10, await client.CallAsync("DECR", key));
        RespReply.Integer(-15, await client.CallAsync("DECRBY", key, "25"));
        RespReply.Bulk("-15", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task Incr_ValueNotAnInteger_RedisNotIntegerErrorWithErrCode()
    {
        string key = Keys.Unique("abc");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "abc"));
        RespReply.Error("ERR value is not an integer or out of range", await client.CallAsync("INCR", key));
        RespReply.Bulk("abc", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task IncrBy_DeltaNotAnInteger_NotIntegerError()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR value is not an integer or out of range", await client.CallAsync("INCRBY", Keys.Unique("k"), "1.5"));
    }

    [Fact]
    public async Task IncrBy_PastInt64Max_OverflowErrorAndValueKept()
    {
        string key = Keys.Unique("max");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, long.MaxValue.ToString()));
        Assert.Contains("overflow", RespReply.Error("ERR", await client.CallAsync("INCR", key)), StringComparison.Ordinal);
        RespReply.Bulk(long.MaxValue.ToString(), await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task DecrBy_Int64Min_OverflowError()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        string message = RespReply.Error("ERR", await client.CallAsync("DECRBY", Keys.Unique("k"), long.MinValue.ToString()));
        Assert.Contains("overflow", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decr_BelowInt64Min_OverflowError()
    {
        string key = Keys.Unique("min");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, long.MinValue.ToString()));
        Assert.Contains("overflow", RespReply.Error("ERR", await client.CallAsync("DECR", key)), StringComparison.Ordinal);
    }
}
