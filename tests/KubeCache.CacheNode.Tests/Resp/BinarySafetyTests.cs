using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>Keys and values are byte strings: every byte value, CR and LF included, survives a round trip.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class BinarySafetyTests(NodeFixture fixture)
{
    private static readonly byte[] s_everyByte = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    [Fact]
    public async Task Set_KeyOfEveryByteValue_GetReturnsValue()
    {
        byte[] value = [.. "\r\n"u8, .. s_everyByte, .. "\r\n$5\r\n"u8];
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET"u8.ToArray(), s_everyByte, value));
        RespReply.Bulk(value, await client.CallAsync("GET"u8.ToArray(), s_everyByte));
        RespReply.Integer(1, await client.CallAsync("EXISTS"u8.ToArray(), s_everyByte));
        RespReply.Integer(1, await client.CallAsync("DEL"u8.ToArray(), s_everyByte));
    }

    [Fact]
    public async Task MGet_ValuesWithCrLf_ReturnedIntact()
    {
        byte[] first = [.. Guid.NewGuid().ToByteArray(), (byte)'\r', (byte)'\n'];
        byte[] second = [(byte)'\n', .. Guid.NewGuid().ToByteArray(), 0, (byte)'\r'];
        byte[] value1 = [.. s_everyByte.Reverse(), .. "*1\r\n"u8];
        byte[] value2 = [(byte)'\r', (byte)'\n', (byte)'\r', (byte)'\n'];
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("MSET"u8.ToArray(), first, value1, second, value2));
        var reply = await client.CallAsync("MGET"u8.ToArray(), first, second);
        RespReply.Bulk(value1, reply.Items[0]);
        RespReply.Bulk(value2, reply.Items[1]);
    }

    [Fact]
    public async Task Append_BinarySuffix_Concatenates()
    {
        byte[] key = [0, 0xff, (byte)'\r', (byte)'\n', .. Guid.NewGuid().ToByteArray()];
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Integer(256, await client.CallAsync("APPEND"u8.ToArray(), key, s_everyByte));
        RespReply.Integer(512, await client.CallAsync("APPEND"u8.ToArray(), key, s_everyByte));
        RespReply.Bulk([.. s_everyByte, .. s_everyByte], await client.CallAsync("GET"u8.ToArray(), key));
    }

    [Fact]
    public async Task Echo_EveryByteValue_ReturnedIntact()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Bulk(s_everyByte, await client.CallAsync("ECHO"u8.ToArray(), s_everyByte));
    }
}
