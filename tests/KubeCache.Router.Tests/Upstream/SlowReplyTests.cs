using System.Diagnostics;
using KubeCache.Protocol;
using KubeCache.Router.Tests.Support;
using KubeCache.Router.Upstream;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Upstream;

/// <summary>The upstream timeout measures a node's silence, not how long a large reply takes in all.</summary>
public sealed class SlowReplyTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SendAsync_LargeReplyArrivingSteadilyPastTheTimeout_ItAndTheRequestsBehindItSucceedAndNodeStaysUp()
    {
        // Regression: a large reply (an MGET of 300 x 1 MiB) outlasted the request timeout, which
        // closed the pooled connection, failed every request queued behind it and marked the node
        // down. Here 32 pieces of 64 KiB arrive 60 ms apart: about 2 s in all, twice the timeout,
        // never silent for more than a few hundredths of it (room for a loaded machine's delays).
        await using FakeNode node = FakeNode.Start(i => i == 1 ? FakeReply.Trickle : FakeReply.Echo, trickleChunks: 32, trickleInterval: TimeSpan.FromMilliseconds(60));
        await using var client = new NodeClient("node-l", node.Address, TestOptions.Create(requestMs: 1000, connections: 1));

        // Opened first, so that the requests below reach the connection in the order they are made.
        Command.AssertBulk("open", await client.SendAsync(Command.Of("ECHO", "open")).AsTask().WaitAsync(Generous));
        Task<RespValue> large = client.SendAsync(Command.Of("GET", "large")).AsTask();
        Task<RespValue>[] behind = [.. Enumerable.Range(0, 5).Select(i => client.SendAsync(Command.Of("ECHO", $"v{i}")).AsTask())];

        RespValue reply = await large.WaitAsync(Generous);
        Assert.Equal(32 * 64 * 1024, reply.Bytes.Length);
        for (int i = 0; i < behind.Length; i++)
        {
            Command.AssertBulk($"v{i}", await behind[i].WaitAsync(Generous));
        }

        Assert.Equal((0, 0L), (client.MarkedDownCount, client.RequestsFailed));
        Assert.False(client.IsDown);
    }

    [Fact]
    public async Task SendAsync_ReplyStallsMidway_FailsAfterRequestTimeoutOfSilence()
    {
        // The reply's header comes at once, its first piece only after twice the timeout: a node that stops
        // mid-reply is still found out.
        await using FakeNode node = FakeNode.Start(_ => FakeReply.Trickle, trickleChunks: 2, trickleInterval: TimeSpan.FromMilliseconds(2500));
        await using var client = new NodeClient("node-t", node.Address, TestOptions.Create(requestMs: 1000, connections: 1));

        UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("GET", "stalls")).AsTask().WaitAsync(Generous));

        Assert.Equal($"node node-t ({node.Address}): no reply within 1000 ms", e.Message);
        Assert.True(client.IsDown);
    }

    // Regression (a CI run): a test process starved of CPU for over a second ran the watchdog's
    // next check before the read loop, so the check saw a second of "silence" while the node's
    // bytes sat unread in the socket, and closed a connection carrying a steadily arriving reply.
    // The checks below are given times 20 s on, as a router that stalled for 20 s would see them.
    [Fact]
    public async Task CheckTimeout_FirstCheckAfterTheRouterStalled_LetsTheReplyLandInsteadOfClosing()
    {
        await using FakeNode node = FakeNode.Start(_ => FakeReply.EchoHeld);
        await using UpstreamConnection connection = await UpstreamConnection.ConnectAsync("node-s", node.Address, TestOptions.Create(requestMs: 10_000));
        Task<RespValue> reply = connection.SendAsync(Command.Of("ECHO", "v")).AsTask();
        await Poll.UntilAsync(() => node.CommandsReceived == 1, "the node received the request");

        long afterStall = Stopwatch.GetTimestamp() + (20 * Stopwatch.Frequency);
        connection.CheckTimeout(afterStall);
        Assert.True(connection.IsAlive);

        node.ReleaseHeld();
        Command.AssertBulk("v", await reply.WaitAsync(Generous));
        connection.CheckTimeout(afterStall + (Stopwatch.Frequency / 10));
        Assert.True(connection.IsAlive);
    }

    [Fact]
    public async Task CheckTimeout_NodeStillSilentAtTheCheckAfterTheStall_FailsTheConnection()
    {
        await using FakeNode node = FakeNode.Start(_ => FakeReply.EchoHeld);
        await using UpstreamConnection connection = await UpstreamConnection.ConnectAsync("node-s", node.Address, TestOptions.Create(requestMs: 10_000));
        Task<RespValue> reply = connection.SendAsync(Command.Of("ECHO", "v")).AsTask();
        await Poll.UntilAsync(() => node.CommandsReceived == 1, "the node received the request");

        long afterStall = Stopwatch.GetTimestamp() + (20 * Stopwatch.Frequency);
        connection.CheckTimeout(afterStall);
        connection.CheckTimeout(afterStall + (Stopwatch.Frequency / 10));

        Assert.False(connection.IsAlive);
        UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(() => reply.WaitAsync(Generous));
        Assert.Equal($"node node-s ({node.Address}): no reply within 10000 ms", e.Message);
    }
}
