using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>Redis-shaped errors for mistakes a client can make without breaking the protocol; the connection stays usable.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class ErrorReplyTests(NodeFixture fixture)
{
    [Fact]
    public async Task UnknownCommand_WithArguments_ErrorQuotesNameAndArguments()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error(
            "ERR unknown command 'FOO', with args beginning with: 'bar' 'baz'",
            await client.CallAsync("FOO", "bar", "baz"));
        RespReply.Simple("PONG", await client.CallAsync("PING"));
    }

    [Theory]
    [InlineData("get", "GET")]
    [InlineData("set", "SET", "k")]
    [InlineData("echo", "ECHO")]
    [InlineData("ttl", "TTL", "a", "b")]
    [InlineData("del", "DEL")]
    public async Task KnownCommand_WrongArgumentCount_WrongArityError(string name, params string[] command)
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error($"ERR wrong number of arguments for '{name}' command", await client.CallAsync(command));
        RespReply.Simple("PONG", await client.CallAsync("PING"));
    }

    [Theory]
    [InlineData("SET")]
    [InlineData("PUT")]
    [InlineData("SETNX")]
    [InlineData("MSET")]
    [InlineData("APPEND")]
    public async Task Write_KeyOverMaxKeyBytes_ErrorNamesLimit(string command)
    {
        string key = new('k', fixture.Node.Options.MaxKeyBytes + 1);
        await using RespTestClient client = await fixture.ConnectAsync();
        string message = RespReply.Error("ERR key is 257 bytes", await client.CallAsync(command, key, "v"));
        Assert.Contains("--max-key-bytes", message, StringComparison.Ordinal);
        RespReply.Integer(0, await client.CallAsync("EXISTS", key));
    }

    [Fact]
    public async Task Incr_KeyOverMaxKeyBytes_ErrorNamesLimit()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        string message = RespReply.Error("ERR", await client.CallAsync("INCR", new string('k', 300)));
        Assert.Contains("--max-key-bytes", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SET")]
    [InlineData("PUT")]
    [InlineData("MSET")]
    [InlineData("SETNX")]
    public async Task Write_ValueOverMaxValueBytes_ErrorNamesLimit(string command)
    {
        int limit = fixture.Node.Options.MaxValueBytes;
        string key = Keys.Unique("big");
        await using RespTestClient client = await fixture.ConnectAsync();
        string message = RespReply.Error($"ERR value is {limit + 1} bytes", await client.CallAsync(command, key, new string('v', limit + 1)));
        Assert.Contains($"limit of {limit} (--max-value-bytes)", message, StringComparison.Ordinal);
        RespReply.Integer(0, await client.CallAsync("EXISTS", key));
    }

    [Fact]
    public async Task Append_PastMaxValueBytes_ErrorNamesLimitAndValueKept()
    {
        int limit = fixture.Node.Options.MaxValueBytes;
        string key = Keys.Unique("grow");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, new string('a', limit)));
        string message = RespReply.Error("ERR value is", await client.CallAsync("APPEND", key, "b"));
        Assert.Contains("--max-value-bytes", message, StringComparison.Ordinal);
        RespReply.Integer(limit, await client.CallAsync("STRLEN", key));
    }
}
