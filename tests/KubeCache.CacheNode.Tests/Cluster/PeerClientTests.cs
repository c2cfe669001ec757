using KubeCache.CacheNode.Cluster;
using KubeCache.CacheNode.Hosting;
using KubeCache.Hosting.Limits;
using KubeCache.Security.Tls;
using KubeCache.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeCache.CacheNode.Tests.Cluster;

/// <summary>The connection a node keeps to another member for takes and ring catch-ups.</summary>
public sealed class PeerClientTests
{
    /// <summary>
    /// A 10-minute soak failed a GET with "the previous owner … cannot be reached: the peer
    /// closed the connection": the take reused a connection opened at an earlier rebalance, which
    /// the previous owner had closed since (here by its idle timeout; in the soak by a restart).
    /// </summary>
    [Fact]
    public async Task CallAsync_ConnectionClosedByPeerIdleTimeout_OpensAgainAndAnswers()
    {
        await using CacheNodeServer peer = await TestNodes.StartAsync(o => o.Limits.IdleTimeout = TimeSpan.FromSeconds(1));
        await using var client = new PeerClient("peer", peer.RespEndPoint!.ToString(), PeerConnector.None);
        Assert.Equal("PONG", (await client.CallAsync(["PING"u8.ToArray()], CancellationToken.None)).AsString());

        LimitMetrics metrics = peer.Services.GetRequiredService<ServerLimits>().Metrics;
        await Poll.UntilAsync(() => metrics.ClosedCount(resp: true, CloseReason.Idle) == 1, "the peer to close the idle connection", TimeSpan.FromSeconds(30));

        Assert.Equal("PONG", (await client.CallAsync(["PING"u8.ToArray()], CancellationToken.None)).AsString());
    }
}
