using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>PING, ECHO, QUIT, HELLO, AUTH, SELECT and CLIENT: what a client sends before it does any work.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class ConnectionCommandTests(NodeFixture fixture)
{
    [Fact]
    public async Task Ping_NoArgument_RepliesPong()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Simple("PONG", await client.CallAsync("PING"));
    }

    [Fact]
    public async Task Ping_Message_EchoesItAsBulk()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Bulk("hello there", await client.CallAsync("ping", "hello there"));
    }

    [Fact]
    public async Task Ping_TwoArguments_WrongArity()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR wrong number of arguments for 'ping' command", await client.CallAsync("PING", "a", "b"));
    }

    [Fact]
    public async Task Echo_Message_RepliesSameBytes()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Bulk("a\r\nb", await client.CallAsync("ECHO", "a\r\nb"));
    }

    [Fact]
    public async Task Quit_Pipelined_RepliesOkThenClosesWithoutRunningLaterCommands()
    {
        string key = Keys.Unique("quit");
        await using (RespTestClient client = await fixture.ConnectAsync())
        {
            client.Queue("QUIT");
            client.Queue("SET", key, "written after quit");
            await client.FlushAsync();
            RespReply.Ok(await client.ReadAsync());
            Assert.True(await client.IsClosedByServerAsync(), "The server kept the connection open after QUIT.");
        }

        await using RespTestClient other = await fixture.ConnectAsync();
        RespReply.Nil(await other.CallAsync("GET", key));
    }

    [Fact]
    public async Task Hello_Version2_RepliesServerMap()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespValue reply = await client.CallAsync("HELLO", "2", "SETNAME", "hello-client");
        Assert.Equal(14, reply.Items.Count);
        string?[] map = reply.Items.Select(i => i.Kind == RespValueKind.Array ? "[array]" : i.AsString()).ToArray();
        Assert.Equal("[array]", map[Array.IndexOf(map, "modules") + 1]);
        Assert.Equal("2", map[Array.IndexOf(map, "proto") + 1]);
        Assert.Equal("master", map[Array.IndexOf(map, "role") + 1]);
        RespReply.Bulk("hello-client", await client.CallAsync("CLIENT", "GETNAME"));
    }

    [Fact]
    public async Task Auth_AnyPassword_ErrorNoPasswordConfigured()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        string message = RespReply.Error("ERR AUTH", await client.CallAsync("AUTH", "secret"));
        Assert.Contains("without any password configured", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Select_DatabaseZero_Ok()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SELECT", "0"));
    }

    [Fact]
    public async Task Select_DatabaseOne_ErrorOutOfRange()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR DB index is out of range", await client.CallAsync("SELECT", "1"));
    }

    [Fact]
    public async Task ClientName_SetThenGet_ReturnsName()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Nil(await client.CallAsync("CLIENT", "GETNAME"));
        RespReply.Ok(await client.CallAsync("CLIENT", "SETNAME", "worker-1"));
        RespReply.Bulk("worker-1", await client.CallAsync("client", "getname"));
    }

    [Fact]
    public async Task ClientId_TwoConnections_StablePerConnectionAndDistinct()
    {
        await using RespTestClient first = await fixture.ConnectAsync();
        await using RespTestClient second = await fixture.ConnectAsync();
        long id = (await first.CallAsync("CLIENT", "ID")).AsInt64();
        Assert.True(id > 0, $"CLIENT ID {id} is not positive.");
        RespReply.Integer(id, await first.CallAsync("CLIENT", "ID"));
        Assert.NotEqual(id, (await second.CallAsync("CLIENT", "ID")).AsInt64());
    }

    [Fact]
    public async Task ClientSetInfo_LibraryName_Ok()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("CLIENT", "SETINFO", "LIB-NAME", "kubecache-tests"));
    }

    [Fact]
    public async Task Client_UnknownSubcommand_ErrorListsSupported()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespValue reply = await client.CallAsync("CLIENT", "KILL", "ID", "1");
        Assert.Contains("SETNAME", RespReply.Error("ERR unknown CLIENT subcommand", reply), StringComparison.Ordinal);
    }
}
