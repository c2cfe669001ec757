using System.Security.Cryptography;
using KubeCache.Protocol;
using KubeCache.Testing;

namespace KubeCache.CacheNode.Tests.Resp;

/// <summary>
/// Replies larger than --resp-output-buffer-bytes are flushed while they are written; the bytes
/// that reach the client are still complete and in order.
/// </summary>
public sealed class OutputBufferTests
{
    private const int ValueBytes = 64 * 1024;
    private const int Keys = 16;

    [Fact]
    public async Task MGet_PipelinedRepliesOverOutputBuffer_AllValuesCorrect()
    {
        await using var node = await TestNodes.StartAsync(o => o.RespOutputBufferBytes = 4096);
        await using RespTestClient client = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        byte[][] values = new byte[Keys][];
        for (int i = 0; i < Keys; i++)
        {
            values[i] = RandomNumberGenerator.GetBytes(ValueBytes);
            RespReply.Ok(await client.CallAsync("SET"u8.ToArray(), Key(i), values[i]));
        }

        // Each MGET names every key twice (2 MiB of reply); eight of them go out in one write.
        byte[][] mget = [.. Enumerable.Range(0, 2 * Keys).Select(i => Key(i % Keys)).Prepend("MGET"u8.ToArray())];
        const int Batches = 8;
        for (int batch = 0; batch < Batches; batch++)
        {
            client.Queue(mget);
            client.Queue("PING");
        }

        await client.FlushAsync();
        for (int batch = 0; batch < Batches; batch++)
        {
            RespValue reply = await client.ReadAsync();
            Assert.Equal(2 * Keys, reply.Items.Count);
            for (int i = 0; i < reply.Items.Count; i++)
            {
                RespReply.Bulk(values[i % Keys], reply.Items[i]);
            }

            RespReply.Simple("PONG", await client.ReadAsync());
        }
    }

    [Fact]
    public async Task Scan_ReplyOverOutputBuffer_AllKeysReturned()
    {
        await using var node = await TestNodes.StartAsync(o => o.RespOutputBufferBytes = 1024);
        await using RespTestClient client = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        var mset = new List<string> { "MSET" };
        var expected = new HashSet<string>();
        for (int i = 0; i < 2000; i++)
        {
            string key = $"{new string('k', 200)}:{i}";
            expected.Add(key);
            mset.AddRange([key, "v"]);
        }

        RespReply.Ok(await client.CallAsync([.. mset]));
        RespValue reply = await client.CallAsync("SCAN", "0", "COUNT", "1000000");
        RespReply.Bulk("0", reply.Items[0]);
        Assert.Equal(expected, RespReply.Strings(reply.Items[1]).OfType<string>().ToHashSet());
    }

    private static byte[] Key(int i) => System.Text.Encoding.ASCII.GetBytes($"large:{i}");
}
