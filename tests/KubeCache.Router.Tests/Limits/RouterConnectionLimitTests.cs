using KubeCache.Hosting.Limits;
using KubeCache.Router.Options;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.Router.Tests.Limits;

/// <summary>
/// The router enforces the same connection limits as a node, on its port shared by HTTP and RESP:
/// connection caps, idle and trickling RESP clients, and HTTP request-head and body sizes. Each
/// wait is bounded (30 s for a close; timeouts are set to 1–1.5 s).
/// </summary>
public sealed class RouterConnectionLimitTests
{
    [Fact]
    public async Task Connect_OverMaxConnectionsPerIp_RespRefusedAndCounted()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 1, configure: o => o.Limits.MaxConnectionsPerIp = 1);
        await using RespTestClient holder = await RespTestClient.ConnectAsync(cluster.Router.HttpEndPoint);
        Assert.Equal("PONG", (await holder.CallAsync("PING")).AsString());

        using RawClient refused = await RawClient.ConnectAsync(cluster.Router.HttpEndPoint);
        await refused.SendAsync("*1\r\n$4\r\nPING\r\n");
        string reply = await refused.ReadToCloseAsync();

        Assert.StartsWith("-ERR max number of clients reached", reply, StringComparison.Ordinal);
        Assert.Contains("(--max-connections-per-ip)", reply, StringComparison.Ordinal);
        Assert.Equal(1, Metrics(cluster).RejectedCount(RejectReason.MaxConnectionsPerIp));
    }

    [Fact]
    public async Task Connect_OverMaxConnections_HttpGets503()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 1, configure: o => o.Limits.MaxConnections = 1);
        await using RespTestClient holder = await RespTestClient.ConnectAsync(cluster.Router.HttpEndPoint);
        Assert.Equal("PONG", (await holder.CallAsync("PING")).AsString());

        using RawClient refused = await RawClient.ConnectAsync(cluster.Router.HttpEndPoint);
        await refused.SendAsync("GET /health HTTP/1.1\r\nHost: router\r\n\r\n");
        string reply = await refused.ReadToCloseAsync();

        Assert.StartsWith("HTTP/1.1 503 ", reply, StringComparison.Ordinal);
        Assert.Contains("(--max-connections)", reply, StringComparison.Ordinal);
        Assert.Equal(1, Metrics(cluster).RejectedCount(RejectReason.MaxConnections));
    }

    [Fact]
    public async Task IdleRespConnection_PastIdleTimeout_IsClosed()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 1, configure: o => o.Limits.IdleTimeout = TimeSpan.FromSeconds(1));
        using RawClient client = await RawClient.ConnectAsync(cluster.Router.HttpEndPoint);
        await client.SendAsync("*1\r\n$4\r\nPING\r\n");

        Assert.Equal("+PONG\r\n", await client.ReadToCloseAsync());
        Assert.Equal(1, Metrics(cluster).ClosedCount(resp: true, CloseReason.Idle));
    }

    [Fact]
    public async Task TrickledRespCommand_PastRequestTimeout_IsClosed()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 1, configure: Slow);
        using RawClient client = await RawClient.ConnectAsync(cluster.Router.HttpEndPoint);
        byte[] command = System.Text.Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$5\r\ntrick\r\n$100\r\n" + new string('v', 100) + "\r\n");

        int sent = await client.TrickleAsync(command, TimeSpan.FromMilliseconds(100));

        Assert.True(sent < command.Length, $"the whole trickled command ({sent} bytes) was accepted");
        Assert.Equal(1, Metrics(cluster).ClosedCount(resp: true, CloseReason.SlowRequest));
    }

    [Fact]
    public async Task RespBulk_OverRespMaxBulkBytes_ProtocolErrorAndCounted()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 1, configure: o => o.RespMaxBulkBytes = 1024);
        using RawClient client = await RawClient.ConnectAsync(cluster.Router.HttpEndPoint);

        await client.SendAsync("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000\r\n");

        Assert.Equal("-ERR Protocol error: invalid bulk length\r\n", await client.ReadToCloseAsync());
        Assert.Equal(1, Metrics(cluster).RequestsRejectedCount(RequestLimit.RespFrame));
    }

    [Fact]
    public async Task RespArray_OverRespMaxArrayLength_ProtocolErrorAndCounted()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 1, configure: o => o.RespMaxArrayLength = 10);
        using RawClient client = await RawClient.ConnectAsync(cluster.Router.HttpEndPoint);

        await client.SendAsync("*11\r\n");

        Assert.Equal("-ERR Protocol error: invalid multibulk length\r\n", await client.ReadToCloseAsync());
        Assert.Equal(1, Metrics(cluster).RequestsRejectedCount(RequestLimit.RespFrame));
    }

    [Theory]
    [InlineData("line", 414)]
    [InlineData("header-bytes", 431)]
    [InlineData("header-count", 431)]
    [InlineData("body", 413)]
    public async Task HttpRequest_OverSizeLimit_GetsItsStatusAndIsCounted(string what, int status)
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 1, configure: o =>
        {
            (o.Limits.MaxRequestLineBytes, o.Limits.MaxHeaderBytes, o.Limits.MaxHeaderCount, o.MaxBodyBytes) = (1024, 1024, 5, 1024);
        });
        string body = $$"""{"key":"k","value":"{{new string('v', 2000)}}"}""";
        string request = what switch
        {
            "line" => $"GET /get?key={new string('k', 1100)} HTTP/1.1\r\nHost: r\r\n\r\n",
            "header-bytes" => $"GET /health HTTP/1.1\r\nHost: r\r\nX-Big: {new string('h', 1100)}\r\n\r\n",
            "header-count" => "GET /health HTTP/1.1\r\nHost: r\r\n" + string.Concat(Enumerable.Range(0, 6).Select(i => $"X-H{i}: v\r\n")) + "\r\n",
            _ => $"POST /put HTTP/1.1\r\nHost: r\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}",
        };
        RequestLimit limit = what switch
        {
            "line" => RequestLimit.RequestLine,
            "header-bytes" => RequestLimit.HeaderBytes,
            "header-count" => RequestLimit.HeaderCount,
            _ => RequestLimit.Body,
        };
        using RawClient client = await RawClient.ConnectAsync(cluster.Router.HttpEndPoint);

        await client.SendAsync(request);

        Assert.StartsWith($"HTTP/1.1 {status} ", await client.ReadToCloseAsync(), StringComparison.Ordinal);
        await Poll.UntilAsync(() => Task.FromResult(Metrics(cluster).RequestsRejectedCount(limit) == 1), $"the {what} limit to be counted");
    }

    internal static LimitMetrics Metrics(RouterCluster cluster) => cluster.Router.Services.GetRequiredService<ServerLimits>().Metrics;

    private static void Slow(RouterOptions options)
    {
        options.Limits.RequestTimeout = TimeSpan.FromSeconds(1.5);
        options.Limits.IdleTimeout = TimeSpan.FromSeconds(60);
    }
}
