using System.Text;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Transport;

/// <summary>
/// A connection the event loop stopped serving inline (a command that may wait, a client that did
/// not read its replies) is served there again once its pipes are empty, with every reply in
/// order across each switch. A node of its own, so <c>kvcache_connections_inline</c> counts only
/// the test's connection.
/// </summary>
public sealed class InlineServingTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task Resp_AfterACommandThatMayWait_TheNextCommandsAreServedOnTheLoopAgain()
    {
        string key = Keys.Unique("inline");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v"));
        await Poll.UntilAsync(async () => await InlineAsync("resp") == 1, "the connection to be served on the loop");

        // MGET's handler may wait, so it runs from the pipes; the batch it came in keeps the connection there.
        RespReply.Items(await client.CallAsync("MGET", key, key + ":missing"), "v", null);
        Assert.Equal(0, await InlineAsync("resp"));

        // Batches of commands that all run at once send the connection back to its loop: two here,
        // since it left after one command there (InlineReturn), so the first GET is not enough.
        RespReply.Bulk("v", await client.CallAsync("GET", key));
        Assert.Equal(0, await InlineAsync("resp"));
        RespReply.Bulk("v", await client.CallAsync("GET", key));
        await Poll.UntilAsync(async () => await InlineAsync("resp") == 1, "the connection to be served on the loop again");
        RespReply.Bulk("v", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task Resp_CommandThatMayWaitEveryFewCommands_KeepsTheConnectionOnItsPipesUntilALongerRunWithout()
    {
        string key = Keys.Unique("inline");
        await using RespTestClient client = await fixture.ConnectAsync();
        RespReply.Ok(await client.CallAsync("SET", key, "v"));

        // Each stay on the loop is a few commands long, so each return needs twice the run of
        // batches without MGET that the one before did: after a few, three GETs are not enough.
        for (int i = 0; i < 10; i++)
        {
            RespReply.Items(await client.CallAsync("MGET", key), "v");
            for (int j = 0; j < 3; j++)
            {
                RespReply.Bulk("v", await client.CallAsync("GET", key));
            }
        }

        Assert.Equal(0, await InlineAsync("resp"));
        await Poll.UntilAsync(
            async () =>
            {
                RespReply.Bulk("v", await client.CallAsync("GET", key));
                return await InlineAsync("resp") == 1;
            },
            "the connection to be served on the loop after a longer run of GETs");
    }

    [Fact]
    public async Task Resp_CommandsThatMayWaitAmongOthers_EveryReplyInOrderAcrossEachSwitch()
    {
        string key = Keys.Unique("inline");
        await using RespTestClient client = await fixture.ConnectAsync();
        for (int i = 0; i < 200; i++)
        {
            RespReply.Ok(await client.CallAsync("SET", key, $"v{i}"));
            RespReply.Items(await client.CallAsync("MGET", key), $"v{i}");
            RespReply.Bulk($"v{i}", await client.CallAsync("GET", key));
        }

        // The same commands pipelined, an MGET now and then: the connection goes back to its loop
        // while more of the pipeline arrives, and the replies of its last batch from the pipes go out first.
        const int Pairs = 20_000;
        for (int i = 0; i < Pairs; i++)
        {
            client.Queue("SET", key, $"w{i}");
            client.Queue(i % 500 == 0 ? "MGET" : "GET", key);
        }

        Task sending = client.FlushAsync();
        for (int i = 0; i < Pairs; i++)
        {
            RespReply.Ok(await client.ReadAsync());
            RespValue reply = await client.ReadAsync();
            if (i % 500 == 0)
            {
                RespReply.Items(reply, $"w{i}");
            }
            else
            {
                RespReply.Bulk($"w{i}", reply);
            }
        }

        await sending;
    }

    [Fact]
    public async Task Resp_CommandsEachInAWriteOfItsOwnWhileTheRepliesComeBack_RepliesInOrderAcrossEachReturnToTheLoop()
    {
        // Each command arrives in a read of its own while the replies of the ones before are still
        // being written: a return to the loop must let those go out before it answers the next.
        const int Rounds = 50, Commands = 40;
        string key = Keys.Unique("inline");
        await using RespTestClient client = await fixture.ConnectAsync();
        Task sending = Task.Run(async () =>
        {
            for (int round = 0; round < Rounds; round++)
            {
                client.Queue("MGET", key);
                await client.FlushAsync();
                for (int i = 0; i < Commands; i++)
                {
                    client.Queue("SET", key, $"{round}:{i}");
                    await client.FlushAsync();
                    client.Queue("GET", key);
                    await client.FlushAsync();
                }
            }
        });

        for (int round = 0; round < Rounds; round++)
        {
            RespReply.Items(await client.ReadAsync(), round == 0 ? null : $"{round - 1}:{Commands - 1}");
            for (int i = 0; i < Commands; i++)
            {
                RespReply.Ok(await client.ReadAsync());
                RespReply.Bulk($"{round}:{i}", await client.ReadAsync());
            }
        }

        await sending;
    }

    [Fact]
    public async Task Http_ClientThatDidNotReadItsReplies_IsServedOnTheLoopAgainOnceItHas()
    {
        const int Requests = 100;
        string key = Keys.Unique("inline");
        using RawClient client = await RawClient.ConnectAsync(fixture.Http);
        string body = $"{{\"key\":\"{key}\",\"value\":\"{new string('x', 256 * 1024)}\"}}";
        await client.SendAsync($"POST /put HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}");
        Assert.StartsWith("HTTP/1.1 200", await ReceiveAsync(client, until: reply => reply.EndsWith('}')), StringComparison.Ordinal);
        string get = $"GET /get?key={key} HTTP/1.1\r\nHost: node\r\n\r\n";
        await client.SendAsync(get);
        int replyBytes = (await ReceiveAsync(client, until: reply => reply.EndsWith('}'))).Length;
        await Poll.UntilAsync(async () => await InlineAsync("http") == 1, "the connection to be served on the loop");

        // 25 MiB of replies the client does not read: the socket fills and the rest waits in the output pipe.
        await client.SendAsync(string.Concat(Enumerable.Repeat(get, Requests)));
        await Poll.UntilAsync(async () => await InlineAsync("http") == 0, "the connection to leave the loop");
        string replies = await ReceiveAsync(client, until: received => received.Length >= Requests * replyBytes);
        Assert.Equal(Requests * replyBytes, replies.Length);
        Assert.Equal(Requests, replies.Split("HTTP/1.1 200 OK").Length - 1);

        await Poll.UntilAsync(
            async () =>
            {
                await client.SendAsync(get);
                Assert.Equal(replyBytes, (await ReceiveAsync(client, until: reply => reply.Length >= replyBytes)).Length);
                return await InlineAsync("http") == 1;
            },
            "the connection to be served on the loop again");
    }

    private async Task<double> InlineAsync(string protocol) =>
        PrometheusSamples.Sample(await PrometheusSamples.ScrapeAsync(fixture.Http), "kvcache_connections_inline", $"protocol=\"{protocol}\"");

    private static async Task<string> ReceiveAsync(RawClient client, Func<string, bool> until)
    {
        var received = new StringBuilder();
        while (!until(received.ToString()))
        {
            string part = await client.ReceiveAsync();
            Assert.NotEqual(string.Empty, part);
            received.Append(part);
        }

        return received.ToString();
    }
}
