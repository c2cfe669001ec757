using System.Text;
using KubeCache.CacheNode.Hosting;
using KubeCache.Hosting.Limits;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.CacheNode.Tests.Limits;

/// <summary>
/// A client that pipelines commands and never reads the replies is disconnected after
/// --output-timeout, and meanwhile the node holds at most one flush of replies for it
/// (--resp-output-buffer-bytes plus the reply that crossed it), measured by the node's own
/// pending-output counter. Bound: the close comes within 30 s; 8,000 replies of 16 KiB (128 MiB)
/// are far more than loopback socket buffers absorb, so the node must block on this client.
/// </summary>
public sealed class OutputLimitTests
{
    private const int ValueBytes = 16 * 1024;
    private const int OutputBufferBytes = 32 * 1024;

    [Fact]
    public async Task PipelinedClientNotReading_PastOutputTimeout_IsClosedWithOutputBounded()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o =>
        {
            o.RespOutputBufferBytes = OutputBufferBytes;
            o.Limits.OutputTimeout = TimeSpan.FromSeconds(1.5);
            o.Limits.MinDataRate = 1_000_000;
        });
        LimitMetrics metrics = node.Services.GetRequiredService<ServerLimits>().Metrics;
        await using (RespTestClient setup = await RespTestClient.ConnectAsync(node.RespEndPoint!))
        {
            RespReply.Ok(await setup.CallAsync("SET", "big", new string('v', ValueBytes)));
        }

        using RawClient client = await RawClient.ConnectAsync(node.RespEndPoint!);
        byte[] get = Encoding.ASCII.GetBytes("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n");
        Task sending = SendManyAsync(client, get, 8000);

        await Poll.UntilAsync(() => Task.FromResult(metrics.ClosedCount(resp: true, CloseReason.SlowResponse) == 1),
            "the node to close the connection that does not read", TimeSpan.FromSeconds(30));

        await IgnoreSendFailureAsync(sending);
        string received = await client.ReadToCloseAsync();
        long oneReply = ValueBytes + 16;
        Assert.InRange(metrics.PeakOutputBytes, OutputBufferBytes, OutputBufferBytes + oneReply);
        await Poll.UntilAsync(() => Task.FromResult(metrics.PendingOutputBytes == 0), "the closed connection's output to be released");
        Assert.True(received.Length < 8000 * oneReply, "every reply was delivered, so the node never had to block");
    }

    private static async Task IgnoreSendFailureAsync(Task sending)
    {
        try
        {
            await sending;
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The node closed the connection while commands were still being sent: expected.
        }
    }

    private static async Task SendManyAsync(RawClient client, byte[] command, int count)
    {
        byte[] batch = [.. Enumerable.Repeat(command, 100).SelectMany(c => c)];
        for (int i = 0; i < count; i += 100)
        {
            await client.SendAsync(batch);
        }
    }
}
