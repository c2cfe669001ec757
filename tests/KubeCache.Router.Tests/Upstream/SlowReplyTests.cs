using System.Diagnostics;
using KubeCache.Protocol;
using KubeCache.Router.Tests.Support;
using KubeCache.Router.Upstream;
using KubeCache.Testing;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Router.Tests.Upstream;

/// <summary>The upstream timeout measures a node's silence, not how long a large reply takes in all.</summary>
public class SlowReplyTests
{
    /// <summary>What the connections run on: .NET's sockets here, the event loop in the derived class.</summary>
    protected virtual IConnectionFactory? Transport => null;

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SendAsync_LargeReplyArrivingSteadilyPastTheTimeout_ItAndTheRequestsBehindItSucceedAndNodeStaysUp()
    {
        // Regression: a large reply (an MGET of 300 x 1 MiB) outlasted the request timeout, which
        // closed the pooled connection, failed every request queued behind it and marked the node
        // down. Here 64 pieces of 64 KiB arrive 60 ms apart: about 4 s in all, twice the timeout,
        // never silent for more than a few hundredths of it (room for a loaded machine's delays:
        // with a 1 s timeout, the first request's connect and reply outlasted it once when a
        // whole CI run's tests were starting together).
        await using FakeNode node = FakeNode.Start(i => i == 1 ? FakeReply.Trickle : FakeReply.Echo, trickleChunks: 64, trickleInterval: TimeSpan.FromMilliseconds(60));
        await using var client = new NodeClient("node-l", node.Address, TestOptions.Create(requestMs: 2000, connections: 1, transport: Transport));

        // Opened first, so that the requests below reach the connection in the order they are made.
        Command.AssertBulk("open", await client.SendAsync(Command.Of("ECHO", "open")).AsTask().WaitAsync(Generous));
        Task<RespValue> large = client.SendAsync(Command.Of("GET", "large")).AsTask();
        Task<RespValue>[] behind = [.. Enumerable.Range(0, 5).Select(i => client.SendAsync(Command.Of("ECHO", $"v{i}")).AsTask())];

        RespValue reply = await large.WaitAsync(Generous);
        Assert.Equal(64 * 64 * 1024, reply.Bytes.Length);
        for (int i = 0; i < behind.Length; i++)
        {
            Command.AssertBulk($"v{i}", await behind[i].WaitAsync(Generous));
        }

        Assert.Equal((0, 0L), (client.MarkedDownCount, client.RequestsFailed));
        Assert.False(client.IsDown);
    }

    [Fact]
    public async Task SendAsync_WhileALargeReplyArrives_OtherRequestsTakeTheSecondConnectionAndAreAnsweredFirst()
    {
        // Requests share the first connection until it carries a large value; then they take the
        // second, so one large reply does not hold up the rest. 32 pieces of 64 KiB, 60 ms apart.
        await using FakeNode node = FakeNode.Start(i => i == 1 ? FakeReply.Trickle : FakeReply.Echo, trickleChunks: 32, trickleInterval: TimeSpan.FromMilliseconds(60));
        await using var client = new NodeClient("node-l", node.Address, TestOptions.Create(requestMs: 5000, connections: 2, transport: Transport));
        Command.AssertBulk("open", await client.SendAsync(Command.Of("ECHO", "open")).AsTask().WaitAsync(Generous));
        Assert.Equal(1, client.OpenConnections);

        Task<RespValue> large = client.SendAsync(Command.Of("GET", "large")).AsTask();

        // The first requests may go out before 64 KiB of the reply has arrived, and wait behind it.
        int answered = 0;
        await Poll.UntilAsync(
            async () =>
            {
                Task<RespValue> probe = client.SendAsync(Command.Of("ECHO", "probe")).AsTask();
                await Task.WhenAny(probe, Task.Delay(TimeSpan.FromMilliseconds(200)));
                answered += probe.IsCompletedSuccessfully && !large.IsCompleted ? 1 : 0;
                return answered > 0 || large.IsCompleted;
            },
            "a small request to be answered while the large reply was arriving",
            Generous);

        Assert.Equal(1, answered);
        Assert.Equal(2, client.OpenConnections);
        Assert.Equal(32 * 64 * 1024, (await large.WaitAsync(Generous)).Bytes.Length);
        Assert.Equal((0, 0L), (client.MarkedDownCount, client.RequestsFailed));
    }

    [Fact]
    public async Task SendAsync_ReplyStallsMidway_FailsAfterRequestTimeoutOfSilence()
    {
        // The reply's header comes at once, its first piece only after twice the timeout: a node that stops
        // mid-reply is still found out.
        await using FakeNode node = FakeNode.Start(_ => FakeReply.Trickle, trickleChunks: 2, trickleInterval: TimeSpan.FromMilliseconds(2500));
        await using var client = new NodeClient("node-t", node.Address, TestOptions.Create(requestMs: 1000, connections: 1, transport: Transport));

        UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("GET", "stalls")).AsTask().WaitAsync(Generous));

        Assert.Equal($"node node-t ({node.Address}): no reply within 1000 ms", e.Message);
        Assert.True(client.IsDown);
    }

    [Fact]
    public async Task CheckTimeout_ReplyWaitingUnreadInTheSocket_KeepsTheConnection()
    {
        // Regression (a CI run): a test process starved of CPU past the timeout let the watchdog
        // run before the read loop, which counted the node's unread bytes as a second of silence
        // and closed the connection. Here the read loop is held in the first reply's continuation
        // while the second reply lands, and the check is told 20 s have passed.
        await using FakeNode node = FakeNode.Start(i => i == 0 ? FakeReply.EchoHeld : FakeReply.Echo);
        await using UpstreamConnection connection = await UpstreamConnection.ConnectAsync("node-u", node.Address, TestOptions.Create(requestMs: 10_000, transport: Transport));
        using var readLoopHeld = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task first = connection.SendAsync(Command.Of("ECHO", "a")).AsTask().ContinueWith(
            _ =>
            {
                readLoopHeld.Set();
                release.Wait(Generous);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        try
        {
            await Poll.UntilAsync(() => node.CommandsReceived == 1, "the node received the first request");
            node.ReleaseHeld();
            await Poll.UntilAsync(() => readLoopHeld.IsSet, "the read loop ran the first reply's continuation");
            Task<RespValue> second = connection.SendAsync(Command.Of("ECHO", "b")).AsTask();
            await Poll.UntilAsync(() => node.RepliesSent == 2, "the node sent the second reply");

            connection.CheckTimeout(Stopwatch.GetTimestamp() + (20 * Stopwatch.Frequency));

            Assert.True(connection.IsAlive);
            release.Set();
            Command.AssertBulk("b", await second.WaitAsync(Generous));
        }
        finally
        {
            release.Set();
            await first.WaitAsync(Generous);
        }
    }
}

/// <summary>The same cases on the event loop's connections (<see cref="KubeCache.Hosting.Transport.EpollTransportFactory"/>).</summary>
public sealed class SlowReplyOnEventLoopTests : SlowReplyTests
{
    protected override IConnectionFactory? Transport => TestTransports.EventLoop;
}
