using KubeCache.ClientContract.Resp;
using KubeCache.Protocol;
using KubeCache.Router.Resp;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.Router.Tests.Resp;

/// <summary>Commands without a key: answered by the router itself, or gathered from every member.</summary>
[Collection(SharedRouterCollection.Name)]
public sealed class ServerCommandTests(RouterClusterFixture fixture)
{
    private RouterCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ConnectionCommands_AnsweredByRouter_AsTheNodeAnswers()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();

        RespReply.Simple("PONG", await client.CallAsync("PING"));
        RespReply.Bulk("hi", await client.CallAsync("PING", "hi"));
        RespReply.Bulk("echo me", await client.CallAsync("ECHO", "echo me"));
        RespReply.Ok(await client.CallAsync("SELECT", "0"));
        RespReply.Error("ERR DB index is out of range", await client.CallAsync("SELECT", "1"));
        RespReply.Items(await client.CallAsync("CONFIG", "GET", "save"), "save", "");
        RespReply.Items(await client.CallAsync("CONFIG", "GET", "appendonly"), "appendonly", "no");
        RespReply.Integer(
            Cluster.Router.Services.GetRequiredService<RouterCommands>().Commands.Count, await client.CallAsync("COMMAND", "COUNT"));
        Assert.Equal(RespValueKind.Array, (await client.CallAsync("COMMAND")).Kind);
    }

    [Fact]
    public async Task Hello_Version2_TheNodesMap()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();

        string?[] hello = RespReply.Strings(await client.CallAsync("HELLO", "2", "SETNAME", "via-hello"));

        Assert.Equal<IEnumerable<string?>>(["server", "redis", "version", ConnectionCommands.CompatibleRedisVersion, "proto", "2", "id"], hello[..7]);
        Assert.Equal<IEnumerable<string?>>(["mode", "standalone", "role", "master", "modules"], hello[8..13]);
        RespReply.Bulk("via-hello", await client.CallAsync("CLIENT", "GETNAME"));
    }

    [Fact]
    public async Task Client_TwoConnections_NameAndIdArePerConnection()
    {
        await using RespTestClient first = await Cluster.ConnectAsync();
        await using RespTestClient second = await Cluster.ConnectAsync();

        RespReply.Ok(await first.CallAsync("CLIENT", "SETNAME", "first"));
        RespReply.Ok(await first.CallAsync("CLIENT", "SETINFO", "lib-name", "test"));

        RespReply.Bulk("first", await first.CallAsync("CLIENT", "GETNAME"));
        RespReply.Nil(await second.CallAsync("CLIENT", "GETNAME"));
        long id = (await first.CallAsync("CLIENT", "ID")).AsInt64();
        RespReply.Integer(id, await first.CallAsync("CLIENT", "ID"));
        Assert.NotEqual(id, (await second.CallAsync("CLIENT", "ID")).AsInt64());
        RespReply.Error("ERR unknown CLIENT subcommand", await first.CallAsync("CLIENT", "KILL", "x"));
    }

    [Fact]
    public async Task Quit_AfterCommands_RepliesOkAndCloses()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();

        RespReply.Ok(await client.CallAsync("QUIT"));

        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Info_WithRing_ReportsEpochMembersAndNodesDown()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();

        string info = (await client.CallAsync("INFO")).AsString()!;

        Assert.Contains("redis_version:", info, StringComparison.Ordinal);
        Assert.Contains("ring_epoch:1\r\n", info, StringComparison.Ordinal);
        Assert.Contains("ring_members:3\r\n", info, StringComparison.Ordinal);
        Assert.Contains("ring_member_names:node-0,node-1,node-2\r\n", info, StringComparison.Ordinal);
        Assert.Contains("nodes_down:0\r\n", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DbSizeAndFlushAll_KeysOnEveryNode_SumOverAndClearEveryNode()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string prefix = Keys.Unique("dbsize");
        RespReply.Ok(await client.CallAsync(["MSET", .. Enumerable.Range(0, 30).SelectMany(i => new[] { $"{prefix}:{i}", "v" })]));

        RespReply.Integer(Cluster.Nodes.Sum(n => n.Store.Count), await client.CallAsync("DBSIZE"));
        Assert.All(Cluster.Nodes, n => Assert.True(n.Store.Count > 0));
        RespReply.Ok(await client.CallAsync("FLUSHALL"));

        Assert.All(Cluster.Nodes, n => Assert.Equal(0L, n.Store.Count));
        RespReply.Integer(0, await client.CallAsync("DBSIZE"));
        RespReply.Ok(await client.CallAsync("FLUSHDB", "ASYNC"));
        RespReply.Error("ERR syntax error", await client.CallAsync("FLUSHALL", "NOW"));
    }

    [Fact]
    public async Task Scan_KeysOnEveryNode_VisitsEachKeyAndEndsAtCursorZero()
    {
        await using RespTestClient client = await Cluster.ConnectAsync();
        string prefix = Keys.Unique("scan");
        string[] keys = [.. Enumerable.Range(0, 60).Select(i => $"{prefix}:{i}")];
        RespReply.Ok(await client.CallAsync(["MSET", .. keys.SelectMany(k => new[] { k, "v" })]));
        RespReply.Ok(await client.CallAsync("SET", Keys.Unique("scan-other"), "v"));

        var seen = new HashSet<string>();
        var members = new HashSet<ulong>();
        string cursor = "0";
        for (int page = 0; page == 0 || cursor != "0"; page++)
        {
            Assert.True(page < 1000, "SCAN did not come back to cursor 0.");
            RespValue reply = await client.CallAsync("SCAN", cursor, "MATCH", prefix + ":*", "COUNT", "7");
            cursor = reply.Items[0].AsString()!;
            members.Add(ulong.Parse(cursor) >> 48);
            seen.UnionWith(RespReply.Strings(reply.Items[1]).Select(k => k!));
        }

        Assert.Equal(keys.Order(), seen.Order());
        Assert.Equal([0UL, 1UL, 2UL], members.Order());
        RespReply.Error("ERR invalid cursor", await client.CallAsync("SCAN", "not-a-number"));
        Assert.Equal("0", RespReply.Strings(await client.CallAsync("SCAN", (5UL << 48).ToString()))[0]);
    }
}
