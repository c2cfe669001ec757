using System.Net;
using System.Text;
using KubeCache.Hosting;
using KubeCache.Hosting.Limits;
using KubeCache.Hosting.Options;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.Testing;

/// <summary>
/// A client that pipelines GETs and never reads the replies is disconnected after
/// --output-timeout, and meanwhile the server holds at most one flush of replies for it
/// (--resp-output-buffer-bytes plus the reply that crossed it), measured by the server's own
/// pending-output counter. Held against a node and a router, each through a subclass that starts
/// its server. Bound: the close comes within 30 s; 8,000 replies of 16 KiB (128 MiB) are far more
/// than loopback socket buffers absorb, so the server must block on this client.
/// </summary>
public abstract class OutputLimitContract
{
    private const int ValueBytes = 16 * 1024;
    private const int OutputBufferBytes = 32 * 1024;
    private const int Gets = 8000;
    private const int GetsPerSend = 100;

    /// <summary>The server under test, the RESP endpoint the test uses, and what to dispose afterwards.</summary>
    protected sealed record Front(KubeCacheServer Server, IPEndPoint Resp, IAsyncDisposable Owner);

    /// <summary>Starts the server under test with <paramref name="limits"/> applied to its options.</summary>
    protected abstract Task<Front> StartAsync(Action<ServerOptions> limits);

    [Fact]
    public async Task PipelinedClientNotReading_PastOutputTimeout_IsClosedWithOutputBounded()
    {
        Front front = await StartAsync(o =>
        {
            o.RespOutputBufferBytes = OutputBufferBytes;
            o.Limits.OutputTimeout = TimeSpan.FromSeconds(1.5);
            o.Limits.MinDataRate = 1_000_000;
        });
        await using IAsyncDisposable owner = front.Owner;
        LimitMetrics metrics = front.Server.Services.GetRequiredService<ServerLimits>().Metrics;
        await using (RespTestClient setup = await RespTestClient.ConnectAsync(front.Resp))
        {
            RespReply.Ok(await setup.CallAsync("SET", "big", new string('v', ValueBytes)));
        }

        using RawClient client = await RawClient.ConnectAsync(front.Resp);
        byte[] batch = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n", GetsPerSend)));
        Task sending = Task.Run(async () =>
        {
            for (int i = 0; i < Gets; i += GetsPerSend)
            {
                await client.SendAsync(batch);
            }
        });

        await Poll.UntilAsync(() => metrics.ClosedCount(resp: true, CloseReason.SlowResponse) == 1,
            "the server to close the connection that does not read", TimeSpan.FromSeconds(30));

        try
        {
            await sending;
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The server closed the connection while commands were still being sent: expected.
        }

        string received = await client.ReadToCloseAsync();
        long oneReply = ValueBytes + 16;
        Assert.InRange(metrics.PeakOutputBytes, OutputBufferBytes, OutputBufferBytes + oneReply);
        Assert.True(received.Length < Gets * oneReply, "every reply was delivered, so the server never had to block");
        await Poll.UntilAsync(() => metrics.PendingOutputBytes == 0, "the closed connection's output to be released");
    }
}
