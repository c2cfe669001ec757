using System.Text;
using KubeCache.CacheNode.Hosting;
using KubeCache.CacheNode.Options;
using KubeCache.Hosting.Limits;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.CacheNode.Tests.Limits;

/// <summary>
/// RESP deadlines: an idle connection is closed after --idle-timeout, a command trickled slower
/// than --request-timeout allows is cut off, and a large command arriving steadily is served.
/// Timeouts are set to about a second; each test waits at most 30 s for the close it expects.
/// </summary>
public sealed class RespTimeoutTests
{
    [Fact]
    public async Task IdleConnection_PastIdleTimeout_IsClosed()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.IdleTimeout = TimeSpan.FromSeconds(1));
        using RawClient client = await RawClient.ConnectAsync(node.RespEndPoint!);
        await client.SendAsync("*1\r\n$4\r\nPING\r\n");

        Assert.Equal("+PONG\r\n", await client.ReadToCloseAsync());
        Assert.Equal(1, Metrics(node).ClosedCount(resp: true, CloseReason.Idle));
    }

    [Fact]
    public async Task IdleConnectionOnHttpPort_PastIdleTimeout_IsClosed()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.IdleTimeout = TimeSpan.FromSeconds(1));
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);
        await client.SendAsync("*1\r\n$4\r\nPING\r\n");

        Assert.Equal("+PONG\r\n", await client.ReadToCloseAsync());
        Assert.Equal(1, Metrics(node).ClosedCount(resp: true, CloseReason.Idle));
    }

    [Fact]
    public async Task SilentConnectionOnHttpPort_PastIdleTimeout_IsClosed()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.IdleTimeout = TimeSpan.FromSeconds(1));
        using RawClient client = await RawClient.ConnectAsync(node.HttpEndPoint);

        Assert.Equal(string.Empty, await client.ReadToCloseAsync());
        Assert.Equal(1, Metrics(node).ClosedCount(resp: false, CloseReason.Idle));
    }

    [Fact]
    public async Task Bulk_OverRespMaxBulkBytes_ProtocolErrorAndCounted()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => (o.MaxValueBytes, o.RespMaxBulkBytes) = (1024, 1024));
        using RawClient overLimit = await RawClient.ConnectAsync(node.RespEndPoint!);
        using RawClient malformed = await RawClient.ConnectAsync(node.RespEndPoint!);

        await overLimit.SendAsync("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000\r\n");
        await malformed.SendAsync("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$x\r\n");

        Assert.Equal("-ERR Protocol error: invalid bulk length\r\n", await overLimit.ReadToCloseAsync());
        Assert.Equal("-ERR Protocol error: invalid bulk length\r\n", await malformed.ReadToCloseAsync());
        Assert.Equal(1, Metrics(node).RequestsRejectedCount(RequestLimit.RespFrame));
    }

    [Fact]
    public async Task TrickledCommand_SlowerThanRequestTimeout_IsClosed()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(Slow);
        using RawClient client = await RawClient.ConnectAsync(node.RespEndPoint!);
        byte[] command = Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$5\r\ntrick\r\n$100\r\n" + new string('v', 100) + "\r\n");

        // One byte per 100 ms: 140 bytes would take 14 s; the deadline is 1.5 s plus 140 / 240 s.
        int sent = await client.TrickleAsync(command, TimeSpan.FromMilliseconds(100));

        Assert.True(sent < command.Length, $"the whole trickled command ({sent} bytes) was accepted");
        Assert.Equal(1, Metrics(node).ClosedCount(resp: true, CloseReason.SlowRequest));
        Assert.Equal(0, node.Store.GetStats().Items);
    }

    [Fact]
    public async Task LargeCommandArrivingSteadily_PastRequestTimeout_IsServed()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(Slow);
        await using RespTestClient client = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        byte[] value = new byte[1024 * 1024];
        Random.Shared.NextBytes(value);
        using RawClient raw = await RawClient.ConnectAsync(node.RespEndPoint!);
        byte[] command = [.. Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n$5\r\nlarge\r\n${value.Length}\r\n"), .. value, .. "\r\n"u8];

        // 16 chunks, 150 ms apart: longer in all than --request-timeout, far faster than --min-data-rate.
        for (int offset = 0; offset < command.Length; offset += command.Length / 16)
        {
            await raw.SendAsync(command[offset..Math.Min(command.Length, offset + (command.Length / 16))]);
            await Task.Delay(150);
        }

        await raw.SendAsync("*1\r\n$4\r\nQUIT\r\n");
        Assert.Equal("+OK\r\n+OK\r\n", await raw.ReadToCloseAsync());
        RespReply.Bulk(value, await client.CallAsync("GET", "large"));
        Assert.Equal(0, Metrics(node).ClosedCount(resp: true, CloseReason.SlowRequest));
    }

    private static void Slow(NodeOptions options)
    {
        options.Limits.RequestTimeout = TimeSpan.FromSeconds(1.5);
        options.Limits.IdleTimeout = TimeSpan.FromSeconds(60);
    }

    private static LimitMetrics Metrics(CacheNodeServer node) => node.Services.GetRequiredService<ServerLimits>().Metrics;
}
