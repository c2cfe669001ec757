using KubeCache.CacheNode.Resp;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>COMMAND, CONFIG GET, INFO, DBSIZE and the FLUSH commands, on a node of their own so counts are exact.</summary>
public sealed class ServerCommandTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task Command_NoArguments_RepliesArray()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Strings(await client.CallAsync("COMMAND"));
    }

    [Fact]
    public async Task CommandCount_Always_CountsCommandTable()
    {
        int expected = fixture.Node.Services.GetRequiredService<RespCommandTable>().Commands.Count;
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Integer(expected, await client.CallAsync("COMMAND", "COUNT"));
    }

    [Fact]
    public void CommandTable_DesignList_EveryCommandRegistered()
    {
        string[] design =
        [
            "PING", "ECHO", "QUIT", "HELLO", "AUTH", "SELECT", "CLIENT", "COMMAND", "CONFIG", "INFO", "DBSIZE", "FLUSHALL", "FLUSHDB",
            "GET", "SET", "SETEX", "PSETEX", "SETNX", "GETDEL", "GETEX", "MGET", "MSET", "DEL", "UNLINK", "EXISTS",
            "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "TTL", "PTTL", "PERSIST", "INCR", "INCRBY", "DECR", "DECRBY",
            "APPEND", "STRLEN", "TYPE", "SCAN", "PUT",
        ];
        var table = fixture.Node.Services.GetRequiredService<RespCommandTable>().Commands;
        Assert.All(design, name => Assert.True(table.ContainsKey(name), $"{name} is not in the command table."));
    }

    [Fact]
    public async Task ConfigGet_Save_RepliesNameAndEmptyValue()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        Assert.Equal<IEnumerable<string?>>(["save", ""], RespReply.Strings(await client.CallAsync("CONFIG", "GET", "save")));
    }

    [Fact]
    public async Task ConfigGet_UnknownParameter_RepliesEmptyArray()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        Assert.Empty(RespReply.Strings(await client.CallAsync("CONFIG", "GET", "no-such-setting")));
    }

    [Fact]
    public async Task Info_AfterWrites_ReportsVersionAndKeyspace()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", Keys.Unique("info"), "v"));
        string info = (await client.CallAsync("INFO")).AsString()!;
        Assert.Contains("redis_version:", info, StringComparison.Ordinal);
        Assert.Contains("# Keyspace\r\ndb0:keys=", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InfoMemory_AfterWrites_ReportsTheStoresIndexBytes()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", Keys.Unique("index"), "v"));
        string info = (await client.CallAsync("INFO", "memory")).AsString()!;
        long expected = fixture.Node.Store.IndexBytes();
        Assert.Contains($"\r\nkubecache_index_bytes:{expected}\r\n", info, StringComparison.Ordinal);
        Assert.True(expected > 0, "a store holding a key holds slots and buckets");
    }

    [Fact]
    public async Task DbSize_AfterFlushAndWrites_CountsKeys()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("FLUSHALL"));
        RespReply.Integer(0, await client.CallAsync("DBSIZE"));
        RespReply.Ok(await client.CallAsync("MSET", "a", "1", "b", "2", "c", "3"));
        RespReply.Integer(3, await client.CallAsync("DBSIZE"));
    }

    [Theory]
    [InlineData("FLUSHALL")]
    [InlineData("FLUSHDB")]
    [InlineData("FLUSHALL", "ASYNC")]
    [InlineData("FLUSHDB", "SYNC")]
    public async Task Flush_WithKeys_RemovesEveryKey(params string[] flush)
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("MSET", "x", "1", "y", "2"));
        RespReply.Ok(await client.CallAsync(flush));
        RespReply.Integer(0, await client.CallAsync("DBSIZE"));
        RespReply.Nil(await client.CallAsync("GET", "x"));
    }

    [Fact]
    public async Task Flush_UnknownMode_SyntaxError()
    {
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Error("ERR syntax error", await client.CallAsync("FLUSHALL", "NOW"));
    }
}
