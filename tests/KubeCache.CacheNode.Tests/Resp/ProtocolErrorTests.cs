using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>A malformed frame gets <c>-ERR Protocol error…</c> and the connection closes, on both ports that speak RESP.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class ProtocolErrorTests(NodeFixture fixture)
{
    [Theory]
    [InlineData("*1\r\n$x\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*2\r\n$3\r\nGET\r\n:5\r\n", "ERR Protocol error: expected '$', got ':'")]
    [InlineData("*abc\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*1\r\n$4\r\nPINGxx", "ERR Protocol error: expected CRLF after bulk data")]
    public async Task MalformedFrame_AnyPort_ProtocolErrorThenClose(string frame, string expected)
    {
        foreach (System.Net.IPEndPoint endPoint in new[] { fixture.Resp, fixture.Http })
        {
            await using RespTestClient client = await RespTestClient.ConnectAsync(endPoint);
            client.QueueRaw(frame);
            await client.FlushAsync();
            RespReply.Error(expected, await client.ReadAsync());
            Assert.True(await client.IsClosedByServerAsync(), $"The connection on {endPoint} stayed open after a protocol error.");
        }
    }

    [Fact]
    public async Task MalformedFrame_AfterValidCommands_RepliesToThoseFirst()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        client.Queue("PING");
        client.Queue("ECHO", "before");
        client.QueueRaw("*1\r\n$-5\r\n");
        client.Queue("PING");
        await client.FlushAsync();
        RespReply.Simple("PONG", await client.ReadAsync());
        RespReply.Bulk("before", await client.ReadAsync());
        RespReply.Error("ERR Protocol error", await client.ReadAsync());
        Assert.True(await client.IsClosedByServerAsync(), "The command after the malformed frame was answered.");
    }

    [Fact]
    public async Task BulkHeader_OverRespMaxBulkBytes_ProtocolErrorBeforeDataIsSent()
    {
        int limit = fixture.Node.Options.RespMaxBulkBytes;
        await using RespTestClient client = await fixture.ConnectAsync();
        client.QueueRaw($"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n${limit + 1}\r\n");
        await client.FlushAsync();
        RespReply.Error("ERR Protocol error: invalid bulk length", await client.ReadAsync());
        Assert.True(await client.IsClosedByServerAsync(), "The server waited for the oversized bulk instead of closing.");
    }

    [Fact]
    public async Task BulkHeader_AtRespMaxBulkBytes_AcceptedAndAnsweredWithValueLimit()
    {
        // A bulk exactly at the protocol limit is valid RESP; the store then refuses it by --max-value-bytes.
        int limit = fixture.Node.Options.RespMaxBulkBytes;
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error($"ERR value is {limit} bytes", await client.CallAsync("SET", Keys.Unique("k"), new string('x', limit)));
        RespReply.Simple("PONG", await client.CallAsync("PING"));
    }

    [Fact]
    public async Task ArrayHeader_OverRespMaxArrayLength_ProtocolError()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        client.QueueRaw($"*{fixture.Node.Options.RespMaxArrayLength + 1}\r\n");
        await client.FlushAsync();
        RespReply.Error("ERR Protocol error: invalid multibulk length", await client.ReadAsync());
        Assert.True(await client.IsClosedByServerAsync(), "The connection stayed open after an oversized array header.");
    }
}
