using KubeCache.Protocol;

namespace KubeCache.Testing;

/// <summary>
/// RESP3 and transactions, held against every front that speaks RESP: a node's test project and
/// a router's each run these cases through a subclass that names its server. Every key is new,
/// so the cases share a server.
/// </summary>
public abstract class RespContract
{
    /// <summary>A new connection to the front under test.</summary>
    protected abstract Task<RespTestClient> ConnectAsync();

    private static string NewKey() => "contract:" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Hello3_SwitchesToResp3_MapsNullsAndVerbatimText()
    {
        await using RespTestClient client = await ConnectAsync();

        RespValue hello = await client.CallAsync("HELLO", "3");
        Assert.Equal(RespValueKind.Map, hello.Kind);
        Assert.Equal(14, hello.Items.Count);
        Assert.Equal(3, MapValue(hello, "proto").AsInt64());
        Assert.Equal("redis", MapValue(hello, "server").AsString());

        RespValue missing = await client.CallAsync("GET", NewKey());
        Assert.Equal(RespValueKind.Null, missing.Kind);
        RespValue many = await client.CallAsync("MGET", NewKey(), NewKey());
        Assert.All(many.Items, item => Assert.Equal(RespValueKind.Null, item.Kind));
        Assert.Equal(RespValueKind.Null, (await client.CallAsync("CLIENT", "GETNAME")).Kind);
        Assert.Equal(RespValueKind.Map, (await client.CallAsync("CONFIG", "GET", "save")).Kind);
        RespValue info = await client.CallAsync("INFO");
        Assert.Equal(RespValueKind.VerbatimString, info.Kind);
        Assert.Contains("redis_version:", info.AsString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello2_AfterHello3_BackToResp2Shapes()
    {
        await using RespTestClient client = await ConnectAsync();
        await client.CallAsync("HELLO", "3");

        RespValue hello = await client.CallAsync("HELLO", "2");
        Assert.Equal(RespValueKind.Array, hello.Kind);
        Assert.Equal("2", hello.Items[5].AsString());
        RespValue missing = await client.CallAsync("GET", NewKey());
        Assert.Equal(RespValueKind.BulkString, missing.Kind);
        Assert.True(missing.IsNull);
        Assert.Equal(RespValueKind.BulkString, (await client.CallAsync("INFO")).Kind);
    }

    [Fact]
    public async Task Hello_OtherVersions_NoProtoAndProtocolKept()
    {
        await using RespTestClient client = await ConnectAsync();

        RespReply.Error("NOPROTO unsupported protocol version", await client.CallAsync("HELLO", "4"));
        RespReply.Error("NOPROTO unsupported protocol version", await client.CallAsync("HELLO", "1"));
        RespReply.Error("ERR Protocol version is not an integer or out of range", await client.CallAsync("HELLO", "three"));
        RespReply.Nil(await client.CallAsync("GET", NewKey()));
        Assert.Equal(RespValueKind.BulkString, (await client.CallAsync("GET", NewKey())).Kind);
    }

    [Fact]
    public async Task Hello_PipelinedSwitches_EachReplyInTheProtocolOfItsCommand()
    {
        await using RespTestClient client = await ConnectAsync();
        string key = NewKey();
        client.Queue("HELLO", "3");
        client.Queue("GET", key);
        client.Queue("HELLO", "2");
        client.Queue("GET", key);
        await client.FlushAsync();

        Assert.Equal(RespValueKind.Map, (await client.ReadAsync()).Kind);
        Assert.Equal(RespValueKind.Null, (await client.ReadAsync()).Kind);
        Assert.Equal(RespValueKind.Array, (await client.ReadAsync()).Kind);
        Assert.Equal(RespValueKind.BulkString, (await client.ReadAsync()).Kind);
    }

    [Fact]
    public async Task MultiExec_QueuedCommands_RunInOrderAndRepliesComeAsOneArray()
    {
        await using RespTestClient client = await ConnectAsync();
        string key = NewKey();

        RespReply.Ok(await client.CallAsync("MULTI"));
        RespReply.Simple("QUEUED", await client.CallAsync("SET", key, "1"));
        RespReply.Simple("QUEUED", await client.CallAsync("INCR", key));
        RespReply.Simple("QUEUED", await client.CallAsync("GET", key));
        RespValue exec = await client.CallAsync("EXEC");

        Assert.Equal(3, exec.Items.Count);
        RespReply.Ok(exec.Items[0]);
        RespReply.Integer(2, exec.Items[1]);
        RespReply.Bulk("2", exec.Items[2]);
    }

    [Fact]
    public async Task Multi_QueuedWrite_NotAppliedBeforeExec()
    {
        await using RespTestClient client = await ConnectAsync();
        await using RespTestClient other = await ConnectAsync();
        string key = NewKey();

        RespReply.Ok(await client.CallAsync("MULTI"));
        RespReply.Simple("QUEUED", await client.CallAsync("SET", key, "queued"));
        RespReply.Nil(await other.CallAsync("GET", key));
        await client.CallAsync("EXEC");

        RespReply.Bulk("queued", await other.CallAsync("GET", key));
    }

    [Fact]
    public async Task Exec_AQueuedCommandWasRefused_ExecAbortAndNothingApplied()
    {
        await using RespTestClient client = await ConnectAsync();
        string key = NewKey();

        RespReply.Ok(await client.CallAsync("MULTI"));
        RespReply.Simple("QUEUED", await client.CallAsync("SET", key, "v"));
        RespReply.Error("ERR unknown command 'NOSUCHCOMMAND'", await client.CallAsync("NOSUCHCOMMAND", key));
        RespReply.Error("ERR wrong number of arguments for 'get' command", await client.CallAsync("GET"));
        RespReply.Error("EXECABORT Transaction discarded because of previous errors.", await client.CallAsync("EXEC"));

        RespReply.Nil(await client.CallAsync("GET", key));
        RespReply.Error("ERR EXEC without MULTI", await client.CallAsync("EXEC"));
    }

    [Fact]
    public async Task Exec_ACommandFailsWhenRun_TheOthersStillApply()
    {
        await using RespTestClient client = await ConnectAsync();
        string key = NewKey();

        RespReply.Ok(await client.CallAsync("MULTI"));
        await client.CallAsync("SET", key, "not a number");
        await client.CallAsync("INCR", key);
        await client.CallAsync("APPEND", key, "!");
        RespValue exec = await client.CallAsync("EXEC");

        RespReply.Ok(exec.Items[0]);
        Assert.True(exec.Items[1].IsError, $"INCR of text answered {exec.Items[1]}");
        RespReply.Integer(13, exec.Items[2]);
        RespReply.Bulk("not a number!", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task Discard_QueuedCommands_DroppedAndNotApplied()
    {
        await using RespTestClient client = await ConnectAsync();
        string key = NewKey();

        RespReply.Error("ERR DISCARD without MULTI", await client.CallAsync("DISCARD"));
        RespReply.Ok(await client.CallAsync("MULTI"));
        RespReply.Error("ERR MULTI calls can not be nested", await client.CallAsync("MULTI"));
        RespReply.Error("ERR WATCH inside MULTI is not allowed", await client.CallAsync("WATCH", key));
        await client.CallAsync("SET", key, "v");
        RespReply.Ok(await client.CallAsync("DISCARD"));

        RespReply.Nil(await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task Watch_KeyWrittenByAnotherClient_ExecNilAndNothingApplied()
    {
        await using RespTestClient client = await ConnectAsync();
        await using RespTestClient other = await ConnectAsync();
        string key = NewKey();
        await client.CallAsync("SET", key, "start");

        RespReply.Ok(await client.CallAsync("WATCH", key));
        RespReply.Bulk("start", await client.CallAsync("GET", key));
        RespReply.Ok(await other.CallAsync("SET", key, "theirs"));
        RespReply.Ok(await client.CallAsync("MULTI"));
        await client.CallAsync("SET", key, "mine");
        RespValue exec = await client.CallAsync("EXEC");

        Assert.Equal(RespValueKind.Array, exec.Kind);
        Assert.True(exec.IsNull, $"EXEC after a watched key changed answered {exec}");
        RespReply.Bulk("theirs", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task Watch_Resp3KeyDeletedByAnotherClient_ExecNull()
    {
        await using RespTestClient client = await ConnectAsync();
        await using RespTestClient other = await ConnectAsync();
        string key = NewKey();
        await client.CallAsync("HELLO", "3");
        await client.CallAsync("SET", key, "start");

        RespReply.Ok(await client.CallAsync("WATCH", key));
        RespReply.Integer(1, await other.CallAsync("DEL", key));
        RespReply.Ok(await client.CallAsync("MULTI"));
        await client.CallAsync("SET", key, "mine");

        Assert.Equal(RespValueKind.Null, (await client.CallAsync("EXEC")).Kind);
        Assert.Equal(RespValueKind.Null, (await client.CallAsync("GET", key)).Kind);
    }

    [Fact]
    public async Task Watch_KeyExpires_ExecNil()
    {
        await using RespTestClient client = await ConnectAsync();
        await using RespTestClient other = await ConnectAsync();
        string key = NewKey();
        await client.CallAsync("SET", key, "short-lived", "PX", "200");

        RespReply.Ok(await client.CallAsync("WATCH", key));
        await Poll.UntilAsync(async () => (await other.CallAsync("GET", key)).IsNull, "the watched key expires");
        RespReply.Ok(await client.CallAsync("MULTI"));
        await client.CallAsync("SET", key, "mine");

        Assert.True((await client.CallAsync("EXEC")).IsNull);
        RespReply.Nil(await client.CallAsync("GET", key));
    }

    [Theory]
    [InlineData("HSET", "f", "theirs")]
    [InlineData("HINCRBY", "n", "1")]
    [InlineData("HDEL", "f")]
    public async Task Watch_HashWrittenByAnotherClient_ExecNilAndNothingApplied(string command, params string[] arguments)
    {
        await using RespTestClient client = await ConnectAsync();
        await using RespTestClient other = await ConnectAsync();
        string key = NewKey();
        await client.CallAsync("HSET", key, "f", "start", "n", "1");

        RespReply.Ok(await client.CallAsync("WATCH", key));
        RespReply.Bulk("start", await other.CallAsync("HGET", key, "f"));
        Assert.False((await other.CallAsync([command, key, .. arguments])).IsError);
        RespReply.Ok(await client.CallAsync("MULTI"));
        await client.CallAsync("HSET", key, "f", "mine");
        RespValue exec = await client.CallAsync("EXEC");

        Assert.True(exec.IsNull, $"EXEC after {command} of a watched hash answered {exec}");
        Assert.NotEqual("mine", (await client.CallAsync("HGET", key, "f")).AsString());
    }

    [Fact]
    public async Task Watch_KeyUnchanged_ExecRuns()
    {
        await using RespTestClient client = await ConnectAsync();
        await using RespTestClient other = await ConnectAsync();
        string key = NewKey();
        await client.CallAsync("SET", key, "1");

        RespReply.Ok(await client.CallAsync("WATCH", key));
        RespReply.Bulk("1", await other.CallAsync("GET", key));
        RespReply.Ok(await client.CallAsync("MULTI"));
        await client.CallAsync("INCR", key);
        RespValue exec = await client.CallAsync("EXEC");

        RespReply.Integer(2, exec.Items[0]);
    }

    [Fact]
    public async Task Unwatch_ThenKeyWritten_ExecRuns()
    {
        await using RespTestClient client = await ConnectAsync();
        await using RespTestClient other = await ConnectAsync();
        string key = NewKey();

        RespReply.Ok(await client.CallAsync("WATCH", key));
        RespReply.Ok(await client.CallAsync("UNWATCH"));
        RespReply.Ok(await other.CallAsync("SET", key, "theirs"));
        RespReply.Ok(await client.CallAsync("MULTI"));
        await client.CallAsync("SET", key, "mine");
        RespValue exec = await client.CallAsync("EXEC");

        RespReply.Ok(exec.Items[0]);
        RespReply.Bulk("mine", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task MultiExec_Pipelined_RepliesInOrder()
    {
        await using RespTestClient client = await ConnectAsync();
        string key = NewKey();
        client.Queue("SET", key, "10");
        client.Queue("MULTI");
        client.Queue("INCRBY", key, "5");
        client.Queue("EXPIRE", key, "100");
        client.Queue("EXEC");
        client.Queue("GET", key);
        await client.FlushAsync();

        RespReply.Ok(await client.ReadAsync());
        RespReply.Ok(await client.ReadAsync());
        RespReply.Simple("QUEUED", await client.ReadAsync());
        RespReply.Simple("QUEUED", await client.ReadAsync());
        RespValue exec = await client.ReadAsync();
        RespReply.Integer(15, exec.Items[0]);
        RespReply.Integer(1, exec.Items[1]);
        RespReply.Bulk("15", await client.ReadAsync());
    }

    private static RespValue MapValue(RespValue map, string key)
    {
        for (int i = 0; i + 1 < map.Items.Count; i += 2)
        {
            if (map.Items[i].AsString() == key)
            {
                return map.Items[i + 1];
            }
        }

        throw new Xunit.Sdk.XunitException($"{key} is not in {map}");
    }
}
