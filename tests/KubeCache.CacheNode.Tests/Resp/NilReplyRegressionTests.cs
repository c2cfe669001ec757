using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>
/// Regression: <c>found ? value : null</c> with a <c>ReadOnlyMemory&lt;byte&gt;</c> value turns the null
/// into an empty memory (through the conversion from <c>byte[]</c>), so GETDEL, GETEX and SET … GET
/// answered a missing key with an empty string instead of nil.
/// </summary>
[Collection(SharedNodeCollection.Name)]
public sealed class NilReplyRegressionTests(NodeFixture fixture)
{
    [Fact]
    public async Task GetDel_MissingKey_NilNotEmptyString()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Nil(await client.CallAsync("GETDEL", Keys.Unique("missing")));
    }

    [Fact]
    public async Task GetEx_MissingKey_NilNotEmptyString()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Nil(await client.CallAsync("GETEX", Keys.Unique("missing")));
        RespReply.Nil(await client.CallAsync("GETEX", Keys.Unique("missing"), "PERSIST"));
    }

    [Fact]
    public async Task SetGet_MissingKey_NilNotEmptyString()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Nil(await client.CallAsync("SET", Keys.Unique("missing"), "v", "GET"));
    }

    [Fact]
    public async Task SetGet_KeyHoldingEmptyString_EmptyStringNotNil()
    {
        string key = Keys.Unique("empty");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, ""));
        RespReply.Bulk("", await client.CallAsync("SET", key, "next", "GET"));
        RespReply.Bulk("next", await client.CallAsync("GETDEL", key));
    }
}
