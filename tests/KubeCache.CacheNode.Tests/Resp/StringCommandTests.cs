using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>GET and the SET family without TTLs, GETDEL, MGET, MSET, PUT, APPEND and STRLEN.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class StringCommandTests(NodeFixture fixture)
{
    [Fact]
    public async Task Get_MissingKey_Nil()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Nil(await client.CallAsync("GET", Keys.Unique("missing")));
    }

    [Fact]
    public async Task Set_ThenGet_ReturnsValue()
    {
        string key = Keys.Unique("set");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v1"));
        RespReply.Ok(await client.CallAsync("set", key, "v2"));
        RespReply.Bulk("v2", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task Set_EmptyValue_StoredAsEmptyNotNil()
    {
        string key = Keys.Unique("empty");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, ""));
        RespReply.Bulk("", await client.CallAsync("GET", key));
        RespReply.Integer(0, await client.CallAsync("STRLEN", key));
    }

    [Fact]
    public async Task Put_KeyValue_OkAndReadable()
    {
        string key = Keys.Unique("put");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("PUT", key, "value"));
        RespReply.Bulk("value", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task SetNx_TwiceOnSameKey_OneThenZeroAndFirstValueKept()
    {
        string key = Keys.Unique("setnx");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Integer(1, await client.CallAsync("SETNX", key, "first"));
        RespReply.Integer(0, await client.CallAsync("SETNX", key, "second"));
        RespReply.Bulk("first", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task GetDel_ExistingKey_ReturnsValueAndRemovesKey()
    {
        string key = Keys.Unique("getdel");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "gone soon"));
        RespReply.Bulk("gone soon", await client.CallAsync("GETDEL", key));
        RespReply.Nil(await client.CallAsync("GETDEL", key));
        RespReply.Integer(0, await client.CallAsync("EXISTS", key));
    }

    [Fact]
    public async Task MGet_MixOfPresentAndMissing_ValuesInOrderWithNil()
    {
        string a = Keys.Unique("a"), b = Keys.Unique("b"), missing = Keys.Unique("missing");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("MSET", a, "1", b, "2"));
        Assert.Equal<IEnumerable<string?>>(["2", null, "1", "2"], RespReply.Strings(await client.CallAsync("MGET", b, missing, a, b)));
    }

    [Fact]
    public async Task MSet_OddArgumentCount_WrongArityAndNothingWritten()
    {
        string a = Keys.Unique("a"), b = Keys.Unique("b");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR wrong number of arguments for 'mset' command", await client.CallAsync("MSET", a, "1", b));
        RespReply.Integer(0, await client.CallAsync("EXISTS", a, b));
    }

    [Fact]
    public async Task Append_MissingThenExisting_ReturnsLengthAndConcatenates()
    {
        string key = Keys.Unique("append");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Integer(5, await client.CallAsync("APPEND", key, "hello"));
        RespReply.Integer(11, await client.CallAsync("APPEND", key, " world"));
        RespReply.Bulk("hello world", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task StrLen_ExistingAndMissing_LengthOrZero()
    {
        string key = Keys.Unique("strlen");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "12345678"));
        RespReply.Integer(8, await client.CallAsync("STRLEN", key));
        RespReply.Integer(0, await client.CallAsync("STRLEN", Keys.Unique("missing")));
    }
}
