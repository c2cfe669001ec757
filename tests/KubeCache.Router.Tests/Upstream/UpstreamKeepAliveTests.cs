using KubeCache.CacheNode.Hosting;
using KubeCache.Router.Tests.Support;
using KubeCache.Router.Upstream;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Upstream;

/// <summary>
/// A node closes RESP connections idle for its --idle-timeout; the router's pooled connections
/// must not be among them, or a request would land on a connection the node just closed.
/// Bound: one node with a 3 s idle timeout, 7 s of idleness per case. The idle timeout is fifteen
/// keep-alive intervals: with 1.5 s a CI run (every test class starting at once on two cores)
/// once delayed the PINGs' timer past it.
/// </summary>
public sealed class UpstreamKeepAliveTests
{
    private static readonly TimeSpan NodeIdleTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Idleness = TimeSpan.FromSeconds(7);

    [Fact]
    public async Task KeepAlive_ShorterThanTheNodesIdleTimeout_ConnectionsSurviveIdlenessAndNoRequestFails()
    {
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.IdleTimeout = NodeIdleTimeout);
        await using var client = new NodeClient("node-0", $"127.0.0.1:{node.RespEndPoint!.Port}", With(keepAliveMs: 200));
        await OpenConnectionAsync(client);

        await Task.Delay(Idleness);

        Assert.Equal(1, client.OpenConnections);
        for (int i = 0; i < 4; i++)
        {
            Command.AssertBulk("after", await client.SendAsync(Command.Of("ECHO", "after")));
        }

        Assert.Equal(0, client.RequestsFailed);
    }

    [Fact]
    public async Task KeepAlive_LongerThanTheNodesIdleTimeout_TheNodeClosesTheIdleConnections()
    {
        // The control case: without a timely PING the node does close them, so the test above can fail.
        await using CacheNodeServer node = await TestNodes.StartAsync(o => o.Limits.IdleTimeout = NodeIdleTimeout);
        await using var client = new NodeClient("node-0", $"127.0.0.1:{node.RespEndPoint!.Port}", With(keepAliveMs: 600_000));
        await OpenConnectionAsync(client);

        await Poll.UntilAsync(() => Task.FromResult(client.OpenConnections == 0), "the node to close the idle connections", TimeSpan.FromSeconds(15));
    }

    private static UpstreamOptions With(int keepAliveMs)
    {
        UpstreamOptions defaults = TestOptions.Create();
        return new UpstreamOptions
        {
            ConnectionsPerNode = defaults.ConnectionsPerNode,
            ConnectTimeout = defaults.ConnectTimeout,
            RequestTimeout = defaults.RequestTimeout,
            KeepAliveInterval = TimeSpan.FromMilliseconds(keepAliveMs),
        };
    }

    private static async Task OpenConnectionAsync(NodeClient client)
    {
        // Requests without a large value share the first connection.
        Command.AssertBulk("a", await client.SendAsync(Command.Of("ECHO", "a")));
        Command.AssertBulk("b", await client.SendAsync(Command.Of("ECHO", "b")));
        Assert.Equal(1, client.OpenConnections);
    }
}
