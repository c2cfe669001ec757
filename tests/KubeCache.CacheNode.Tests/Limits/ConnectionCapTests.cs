using System.Net;
using KubeCache.CacheNode.Hosting;
using KubeCache.Hosting.Limits;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.CacheNode.Tests.Limits;

/// <summary>
/// --max-connections and --max-connections-per-ip: both listeners and both protocols share the
/// counts; a refused connection gets an error its protocol understands and is closed at once.
/// Bound: every refusal is answered within the reply timeout (30 s), and the HTTP port's within
/// its first-byte grace (1 s) of the request arriving.
/// </summary>
public sealed class ConnectionCapTests
{
    [Fact]
    public async Task Connect_OverMaxConnectionsAcrossBothPorts_RespRefusedWithRedisError()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.MaxConnections = 2);
        await using RespTestClient onRespPort = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        await using RespTestClient onHttpPort = await RespTestClient.ConnectAsync(node.HttpEndPoint);
        RespReply.Simple("PONG", await onRespPort.CallAsync("PING"));
        RespReply.Simple("PONG", await onHttpPort.CallAsync("PING"));

        using RawClient third = await RawClient.ConnectAsync(node.RespEndPoint!);
        string refusal = await third.ReadToCloseAsync();

        Assert.StartsWith("-ERR max number of clients reached", refusal, StringComparison.Ordinal);
        Assert.Contains("--max-connections)", refusal, StringComparison.Ordinal);
        Assert.Equal(1, Metrics(node).RejectedCount(RejectReason.MaxConnections));
        RespReply.Simple("PONG", await onRespPort.CallAsync("PING"));
    }

    [Fact]
    public async Task Connect_OverMaxConnectionsOnHttpPort_HttpGets503NamingTheFlag()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.MaxConnections = 1);
        await using RespTestClient holder = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        RespReply.Simple("PONG", await holder.CallAsync("PING"));

        using RawClient http = await RawClient.ConnectAsync(node.HttpEndPoint);
        await http.SendAsync("GET /health HTTP/1.1\r\nHost: node\r\n\r\n");
        string reply = await http.ReadToCloseAsync();

        Assert.StartsWith("HTTP/1.1 503 ", reply, StringComparison.Ordinal);
        Assert.Contains("""{"status":"ERROR","message":"max number of clients reached""", reply, StringComparison.Ordinal);
        Assert.Contains("(--max-connections)", reply, StringComparison.Ordinal);
        Assert.Equal(1, Metrics(node).RejectedCount(RejectReason.MaxConnections));
    }

    [Fact]
    public async Task Connect_AfterAConnectionCloses_SlotIsFreedAgain()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.MaxConnections = 1);
        ServerLimits limits = node.Services.GetRequiredService<ServerLimits>();
        await using (RespTestClient first = await RespTestClient.ConnectAsync(node.RespEndPoint!))
        {
            RespReply.Simple("PONG", await first.CallAsync("PING"));
        }

        await Poll.UntilAsync(() => Task.FromResult(limits.Gate.Open == 0), "the closed connection to release its slot");
        await using RespTestClient second = await RespTestClient.ConnectAsync(node.RespEndPoint!);

        RespReply.Simple("PONG", await second.CallAsync("PING"));
        Assert.Equal(0, limits.Metrics.RejectedCount(RejectReason.MaxConnections));
    }

    [Fact]
    public async Task Connect_OverMaxConnectionsPerIp_RefusedWhileOtherAddressIsAdmitted()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.MaxConnectionsPerIp = 2);
        var other = IPAddress.Parse("127.0.0.2");
        await using RespTestClient first = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        await using RespTestClient second = await RespTestClient.ConnectAsync(node.HttpEndPoint);
        RespReply.Simple("PONG", await first.CallAsync("PING"));
        RespReply.Simple("PONG", await second.CallAsync("PING"));

        using RawClient third = await RawClient.ConnectAsync(node.RespEndPoint!);
        string refusal = await third.ReadToCloseAsync();
        using RawClient fromOther = await RawClient.ConnectAsync(node.RespEndPoint!, from: other);
        await fromOther.SendAsync("*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nQUIT\r\n");

        Assert.StartsWith("-ERR max number of clients reached", refusal, StringComparison.Ordinal);
        Assert.Contains("from 127.0.0.1 (--max-connections-per-ip)", refusal, StringComparison.Ordinal);
        Assert.Equal("+PONG\r\n+OK\r\n", await fromOther.ReadToCloseAsync());
        Assert.Equal(1, Metrics(node).RejectedCount(RejectReason.MaxConnectionsPerIp));
        Assert.Equal(0, Metrics(node).RejectedCount(RejectReason.MaxConnections));
    }

    [Fact]
    public async Task Metrics_AfterRefusal_ExposesTheLimitFamilies()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.MaxConnections = 2);
        await using RespTestClient holder = await RespTestClient.ConnectAsync(node.RespEndPoint!);
        RespReply.Simple("PONG", await holder.CallAsync("PING"));
        // One pooled connection, answered once before the refusal: a connection only counts once the
        // node has accepted it, and the refused one must be the third to be accepted, not this one.
        using var scrape = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = new Uri($"http://{node.HttpEndPoint}") };
        (await scrape.GetAsync("/health")).EnsureSuccessStatusCode();
        using (RawClient refused = await RawClient.ConnectAsync(node.RespEndPoint!))
        {
            await refused.ReadToCloseAsync();
        }

        string text = await scrape.GetStringAsync("/metrics");

        Assert.Contains("\nkvcache_connections_rejected_total{reason=\"max_connections\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nkvcache_connections_closed_total{protocol=\"resp\",reason=\"idle\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("\nkvcache_requests_rejected_total{protocol=\"http\",reason=\"header_bytes\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("\nkvcache_connections_output_pending_bytes ", text, StringComparison.Ordinal);
        Assert.Contains("\nkvcache_connections_output_pending_peak_bytes ", text, StringComparison.Ordinal);
    }

    private static LimitMetrics Metrics(CacheNodeServer node) => node.Services.GetRequiredService<ServerLimits>().Metrics;
}
