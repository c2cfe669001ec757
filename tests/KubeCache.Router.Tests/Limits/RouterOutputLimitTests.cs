using System.Text;
using KubeCache.Hosting.Limits;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Limits;

/// <summary>
/// A client that pipelines GETs through the router and never reads the replies is disconnected
/// after --output-timeout; meanwhile the router holds at most one flush of replies for it
/// (--resp-output-buffer-bytes plus one reply), by its own pending-output counter. Bound: the close
/// comes within 30 s; 8,000 replies of 16 KiB are far more than loopback socket buffers absorb.
/// </summary>
public sealed class RouterOutputLimitTests
{
    private const int ValueBytes = 16 * 1024;
    private const int OutputBufferBytes = 32 * 1024;

    [Fact]
    public async Task PipelinedClientNotReading_PastOutputTimeout_IsClosedWithOutputBounded()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 1, configure: o =>
        {
            o.RespOutputBufferBytes = OutputBufferBytes;
            o.Limits.OutputTimeout = TimeSpan.FromSeconds(1.5);
            o.Limits.MinDataRate = 1_000_000;
        });
        cluster.Store("node-0", "big", new string('v', ValueBytes));
        LimitMetrics metrics = RouterConnectionLimitTests.Metrics(cluster);
        using RawClient client = await RawClient.ConnectAsync(cluster.Router.HttpEndPoint);
        byte[] batch = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n", 100)));
        Task sending = Task.Run(async () =>
        {
            for (int i = 0; i < 80; i++)
            {
                await client.SendAsync(batch);
            }
        });

        await Poll.UntilAsync(() => Task.FromResult(metrics.ClosedCount(resp: true, CloseReason.SlowResponse) == 1),
            "the router to close the connection that does not read", TimeSpan.FromSeconds(30));

        try
        {
            await sending;
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The router closed the connection while commands were still being sent: expected.
        }

        string received = await client.ReadToCloseAsync();
        long oneReply = ValueBytes + 16;
        Assert.InRange(metrics.PeakOutputBytes, OutputBufferBytes, OutputBufferBytes + oneReply);
        Assert.True(received.Length < 8000 * oneReply, "every reply was delivered, so the router never had to block");
        await Poll.UntilAsync(() => Task.FromResult(metrics.PendingOutputBytes == 0), "the closed connection's output to be released");
    }
}
