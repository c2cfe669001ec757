using KubeCache.Router.Hosting;
using KubeCache.Router.Tests.Support;
using KubeCache.Testing;
using KubeCache.Topology;

namespace KubeCache.Router.Tests.Resp;

/// <summary>
/// A router serves its RESP clients on the event loop's thread (docs/architecture.md, "Request
/// path"): a forwarded command's reply is owed until the node answers, and the connection reads
/// nothing more until then. A router of its own per test, so <c>kvcache_connections_inline</c>
/// counts only the test's connections.
/// </summary>
public sealed class InlineServingTests
{
    [Fact]
    public async Task Resp_ForwardedCommands_AreServedOnTheLoop()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 1);
        await using RespTestClient client = await cluster.ConnectAsync();
        string key = Keys.Unique("inline");

        RespReply.Ok(await client.CallAsync("SET", key, "v"));
        RespReply.Bulk("v", await client.CallAsync("GET", key));

        await Poll.UntilAsync(async () => await InlineAsync(cluster.Router) == 1, "the router's client connection to be served on the loop");
        RespReply.Bulk("v", await client.CallAsync("GET", key));
    }

    [Fact]
    public async Task Resp_CommandOnAKeyAnUnansweredCommandWrites_WaitsOnTheLoopForItsReply()
    {
        await using RouterCluster cluster = await RouterCluster.StartAsync(nodes: 1);
        await using RespTestClient client = await cluster.ConnectAsync();
        string key = Keys.Unique("inline");
        RespReply.Ok(await client.CallAsync("SET", key, "0"));
        await Poll.UntilAsync(async () => await InlineAsync(cluster.Router) == 1, "the connection to be served on the loop");

        // Each GET must wait for the SET before it in the same read (PipelineOrder): it waits on the
        // loop until the SET's reply is written, then runs there; the connection stays on the loop.
        for (int i = 1; i <= 50; i++)
        {
            client.Queue("SET", key, $"{i}");
            client.Queue("GET", key);
            client.Queue("INCR", key);
        }

        await client.FlushAsync();
        for (int i = 1; i <= 50; i++)
        {
            RespReply.Ok(await client.ReadAsync());
            RespReply.Bulk($"{i}", await client.ReadAsync());
            RespReply.Integer(i + 1, await client.ReadAsync());
        }

        Assert.Equal(1, await InlineAsync(cluster.Router));
    }

    [Fact]
    public async Task Resp_ClientThatClosesWhileItsReplyIsOwed_LeavesTheLoopOnceTheReplyComes()
    {
        await using FakeFront front = await FakeFront.StartAsync();
        (FakeNode node, RouterServer router) = (front.Node, front.Router);

        RespTestClient closing = await RespTestClient.ConnectAsync(router.RespEndPoint!);
        closing.Queue("GET", "held");
        await closing.FlushAsync();
        await Poll.UntilAsync(() => node.CommandsReceived >= 1, "the node to receive the command");
        await Poll.UntilAsync(async () => await InlineAsync(router) == 1, "the connection to wait on the loop");

        await closing.DisposeAsync();
        node.ReleaseHeld();
        await Poll.UntilAsync(async () => await InlineAsync(router) == 0, "the closed connection to leave the loop");

        await using RespTestClient next = await RespTestClient.ConnectAsync(router.RespEndPoint!);
        RespReply.Bulk("after", await next.CallAsync("GET", "after"));
    }

    [Fact]
    public async Task Resp_CommandsArrivingWhileAReplyIsOwed_AreAnsweredInOrderOnceItComes()
    {
        await using FakeFront front = await FakeFront.StartAsync();
        (FakeNode node, RouterServer router) = (front.Node, front.Router);
        await using RespTestClient client = await RespTestClient.ConnectAsync(router.RespEndPoint!);

        // The first command's reply is held at the node; the others arrive in writes of their own
        // while it is owed, one of them in two parts, and wait (unread or kept) until it comes.
        client.Queue("GET", "k0");
        await client.FlushAsync();
        await Poll.UntilAsync(() => node.CommandsReceived >= 1, "the node to receive the first command");
        client.Queue("GET", "k1");
        client.Queue("PING");
        await client.FlushAsync();
        client.QueueRaw("*2\r\n$3\r\nGET\r\n$2\r\nk");
        await client.FlushAsync();
        await Task.Delay(50);
        client.QueueRaw("2\r\n");
        await client.FlushAsync();
        await Task.Delay(50);
        node.ReleaseHeld();

        RespReply.Bulk("k0", await client.ReadAsync());
        RespReply.Bulk("k1", await client.ReadAsync());
        RespReply.Simple("PONG", await client.ReadAsync());
        RespReply.Bulk("k2", await client.ReadAsync());
        RespReply.Bulk("k3", await client.CallAsync("GET", "k3"));
    }

    /// <summary>A router in front of one fake node that holds every reply until released.</summary>
    private sealed class FakeFront(FakeNode node, RouterServer router, string folder) : IAsyncDisposable
    {
        public FakeNode Node => node;

        public RouterServer Router => router;

        public static async Task<FakeFront> StartAsync()
        {
            FakeNode node = FakeNode.Start(_ => FakeReply.EchoHeld);
            string folder = Directory.CreateTempSubdirectory("kvcache-inline-").FullName;
            string ringFile = Path.Combine(folder, "ring.json");
            RingDocument ring = RouterCluster.Document(1, [new RingMember("fake-0", "127.0.0.1:9", node.Address)]);
            await File.WriteAllBytesAsync(ringFile, ring.ToUtf8Json());
            RouterServer router = await TestRouters.StartAsync(o => o.RingFile = ringFile);
            await Poll.UntilAsync(() => router.Routes.Routes?.Epoch == 1, "the router to use the ring");
            return new FakeFront(node, router, folder);
        }

        public async ValueTask DisposeAsync()
        {
            await router.DisposeAsync();
            await node.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<double> InlineAsync(RouterServer router) =>
        PrometheusSamples.Sample(await PrometheusSamples.ScrapeAsync(router.HttpEndPoint), "kvcache_connections_inline", "protocol=\"resp\"");
}
