using System.Net.Http.Json;
using KubeCache.CacheNode.Tests.Resp.Support;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>What a node adds to the transaction contract (<see cref="RespContract"/>): atomicity against other clients, and WATCH seeing HTTP writes.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class TransactionTests(NodeFixture fixture)
{
    /// <summary>Transactions run while another client keeps writing the same key; bounded, and never timed.</summary>
    private const int Transactions = 200;

    [Fact]
    public async Task Exec_AnotherClientWritesTheKeyMeanwhile_NoWriteLandsBetweenItsCommands()
    {
        string key = Keys.Unique("tx-atomic");
        await using RespTestClient client = await fixture.ConnectAsync();
        await using RespTestClient writer = await fixture.ConnectAsync();
        using var done = new CancellationTokenSource();
        Task writing = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                for (int i = 0; i < 50; i++)
                {
                    writer.Queue("SET", key, "other");
                }

                await writer.FlushAsync();
                for (int i = 0; i < 50; i++)
                {
                    await writer.ReadAsync();
                }
            }
        });

        for (int i = 0; i < Transactions; i++)
        {
            client.Queue("MULTI");
            client.Queue("SET", key, "a");
            client.Queue("GET", key);
            client.Queue("APPEND", key, "b");
            client.Queue("GET", key);
            client.Queue("EXEC");
            await client.FlushAsync();
            for (int reply = 0; reply < 5; reply++)
            {
                await client.ReadAsync();
            }

            RespValue exec = await client.ReadAsync();
            RespReply.Bulk("a", exec.Items[1]);
            RespReply.Bulk("ab", exec.Items[3]);
        }

        await done.CancelAsync();
        await writing;
    }

    [Fact]
    public async Task Multi_QueuedBytesPastTheLimit_RefusedAndExecAborts()
    {
        await using CacheNode.Hosting.CacheNodeServer node = await TestNodes.StartAsync(o => o.RespMaxTransactionBytes = 1024);
        await using RespTestClient client = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        string key = Keys.Unique("tx-limit");

        RespReply.Ok(await client.CallAsync("MULTI"));
        RespReply.Simple("QUEUED", await client.CallAsync("SET", key, new string('x', 500)));
        RespReply.Error("ERR the transaction's queued commands and watched keys exceed --resp-max-transaction-bytes (1024 bytes)", await client.CallAsync("SET", key, new string('y', 600)));
        RespReply.Error("EXECABORT", await client.CallAsync("EXEC"));
        RespReply.Nil(await client.CallAsync("GET", key));

        RespReply.Error("ERR the transaction's queued commands and watched keys exceed", await client.CallAsync("WATCH", new string('k', 1100)));
        RespReply.Ok(await client.CallAsync("MULTI"));
        RespReply.Simple("QUEUED", await client.CallAsync("SET", key, new string('z', 600)));
        RespReply.Ok((await client.CallAsync("EXEC")).Items[0]);
    }

    [Fact]
    public async Task Watch_KeyWrittenOverHttp_ExecNil()
    {
        string key = Keys.Unique("tx-http");
        await using RespTestClient client = await fixture.ConnectAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{fixture.Http}") };

        RespReply.Ok(await client.CallAsync("WATCH", key));
        (await http.PostAsJsonAsync("/put", new { key, value = "over http" })).EnsureSuccessStatusCode();
        RespReply.Ok(await client.CallAsync("MULTI"));
        await client.CallAsync("SET", key, "mine");

        RespReply.NilArray(await client.CallAsync("EXEC"));
        RespReply.Bulk("over http", await client.CallAsync("GET", key));
    }
}
