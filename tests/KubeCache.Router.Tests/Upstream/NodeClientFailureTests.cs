using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KubeCache.Protocol;
using KubeCache.Router.Tests.Support;
using KubeCache.Router.Upstream;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Upstream;

/// <summary>Timeouts, mark-down and recovery of a node client, against fake nodes and closed ports.</summary>
public sealed class NodeClientFailureTests
{
    // Bounds only against hanging; they say nothing about speed on a loaded machine.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task SendAsync_NodeNeverAnswers_FailsAfterRequestTimeoutAndMarksDown()
    {
        await using FakeNode node = FakeNode.Start(_ => FakeReply.Silent);
        await using var client = new NodeClient("node-s", node.Address, TestOptions.Create(requestMs: 200, markDownMs: 10_000));
        var clock = Stopwatch.StartNew();

        UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("PING")).AsTask().WaitAsync(Generous));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(200), Generous);
        Assert.Equal($"node node-s ({node.Address}): no reply within 200 ms", e.Message);
        Assert.True(client.IsDown);
        Assert.Equal((1, 1), (client.MarkedDownCount, client.RequestsFailed));
        Assert.Equal(0, client.OpenConnections);
    }

    [Fact]
    public async Task SendAsync_WithAnObserver_ToldOfEachReplyAndEachFailureMarkedDownOrNot()
    {
        // The first reply must beat the request timeout on a machine starting every suite at once.
        await using FakeNode node = FakeNode.Start(i => i == 0 ? FakeReply.Echo : FakeReply.Silent);
        await using var client = new NodeClient("node-o", node.Address, TestOptions.Create(requestMs: 1000, markDownMs: 10_000));
        var told = new List<(string Node, bool Ok)>();
        long before = Stopwatch.GetTimestamp();
        UpstreamRequestObserver observer = (name, ok, started) =>
        {
            Assert.InRange(started, before, Stopwatch.GetTimestamp());
            lock (told)
            {
                told.Add((name, ok));
            }
        };

        Command.AssertBulk("a", await client.SendAsync(Command.Of("ECHO", "a"), observer: observer).AsTask().WaitAsync(Generous));
        await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("PING"), observer: observer).AsTask().WaitAsync(Generous));
        await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("PING"), observer: observer).AsTask().WaitAsync(Generous));

        // The second failure is the refusal of a node marked down, which never reaches it.
        Assert.Equal([("node-o", true), ("node-o", false), ("node-o", false)], told);
        Assert.True(client.IsDown);
    }

    [Fact]
    public async Task SendAsync_WhileDown_FailsAtOnceWithoutTouchingTheNode()
    {
        await using FakeNode node = FakeNode.Start(_ => FakeReply.Silent);
        await using var client = new NodeClient("node-s", node.Address, TestOptions.Create(requestMs: 100, markDownMs: 10_000));
        await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("PING")).AsTask().WaitAsync(Generous));
        int commandsBefore = node.CommandsReceived;

        ValueTask<RespValue> refused = client.SendAsync(Command.Of("PING"));

        Assert.True(refused.IsCompleted, "A request to a node marked down must fail without waiting.");
        UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(async () => await refused);
        Assert.Equal($"node node-s ({node.Address}) is down: no reply within 100 ms", e.Message);
        Assert.Equal(commandsBefore, node.CommandsReceived);
        Assert.Equal(2, client.RequestsFailed);
    }

    [Fact]
    public async Task SendAsync_NodeAnswersAgain_RecoversAfterDownInterval()
    {
        await using FakeNode node = FakeNode.Start(_ => FakeReply.Silent);
        await using var client = new NodeClient("node-r", node.Address, TestOptions.Create(requestMs: 100, markDownMs: 100));
        await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("ECHO", "lost")).AsTask().WaitAsync(Generous));
        Assert.True(client.IsDown);

        node.Policy = _ => FakeReply.Echo;
        RespValue? reply = null;
        await Poll.UntilAsync(async () =>
        {
            try
            {
                reply = await client.SendAsync(Command.Of("ECHO", "back")).AsTask().WaitAsync(Generous);
                return true;
            }
            catch (UpstreamException)
            {
                return false;
            }
        }, "the node to be used again");

        Command.AssertBulk("back", reply!);
        Assert.False(client.IsDown);
        Assert.Equal(TimeSpan.Zero, client.DownInterval);
        Assert.Equal(1, client.MarkedDownCount);
    }

    [Fact]
    public async Task SendAsync_ClosedPort_FailsFastAndMarksDown()
    {
        string address = $"127.0.0.1:{Ports.Free()}";
        await using var client = new NodeClient("node-x", address, TestOptions.Create(requestMs: 1000, markDownMs: 10_000));
        var clock = Stopwatch.StartNew();

        UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("PING")).AsTask().WaitAsync(Generous));

        // Refused at once, well before the 500 ms connect timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"Took {clock.Elapsed.TotalMilliseconds} ms.");
        Assert.StartsWith($"node node-x ({address}): cannot connect: ", e.Message, StringComparison.Ordinal);
        Assert.True(client.IsDown);
        Assert.Equal(1, client.MarkedDownCount);
    }

    [Fact]
    public async Task SendAsync_ProbesKeepFailing_DownIntervalDoublesUpToMax()
    {
        string address = $"127.0.0.1:{Ports.Free()}";
        UpstreamOptions options = TestOptions.Create(markDownMs: 20, maxMarkDownMs: 80);
        await using var client = new NodeClient("node-x", address, options);
        await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("PING")));
        var intervals = new List<double> { client.DownInterval.TotalMilliseconds };

        while (intervals.Count < 5)
        {
            // Refusals while down say "is down"; the one let through as a probe fails connecting.
            await Poll.UntilAsync(async () =>
            {
                UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("PING")));
                return e.Message.StartsWith($"node node-x ({address}): cannot connect: ", StringComparison.Ordinal);
            }, "a probe to be let through");
            intervals.Add(client.DownInterval.TotalMilliseconds);
        }

        Assert.Equal([20, 40, 80, 80, 80], intervals);
        Assert.True(client.IsDown);
        Assert.Equal(1, client.MarkedDownCount);
    }

    [Fact]
    public async Task SendAsync_ConnectNeverCompletes_FailsAfterConnectTimeoutAndMarksDown()
    {
        // A listener that never accepts and whose backlog is full: the kernel drops further SYNs,
        // so a new connection attempt hangs as it would against a host that vanished.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            bool backlogFull = false;
            while (!backlogFull && fillers.Count < 16)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                Task connecting = filler.ConnectAsync(endPoint);
                backlogFull = await Task.WhenAny(connecting, Task.Delay(200)) != connecting;
            }

            Assert.True(backlogFull, "The listen backlog never filled up; the kernel accepts connections nobody takes.");

            string address = $"127.0.0.1:{endPoint.Port}";
            await using var client = new NodeClient("node-t", address, new UpstreamOptions { ConnectTimeout = TimeSpan.FromMilliseconds(150) });

            UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("PING")).AsTask().WaitAsync(Generous));

            Assert.Equal($"node node-t ({address}): no connection within 150 ms", e.Message);
            Assert.True(client.IsDown);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    /// <summary>
    /// A TLS handshake with a busy node takes longer than a TCP connect: the connect timeout is for
    /// a dead node, and the handshake is an exchange that gets the request timeout.
    /// </summary>
    [Fact]
    public async Task SendAsync_HandshakeSlowerThanConnectTimeout_ConnectsWithinRequestTimeout()
    {
        await using FakeNode node = FakeNode.Start(_ => FakeReply.Echo);
        var options = new UpstreamOptions
        {
            ConnectTimeout = TimeSpan.FromMilliseconds(100),
            RequestTimeout = TimeSpan.FromSeconds(5),
            Handshake = new SlowHandshake(TimeSpan.FromMilliseconds(400)),
        };
        await using var client = new NodeClient("node-h", node.Address, options);

        RespValue reply = await client.SendAsync(Command.Of("ECHO", "through")).AsTask().WaitAsync(Generous);

        Assert.Equal("through", reply.AsString());
    }

    [Fact]
    public async Task SendAsync_HandshakeNeverFinishes_FailsAfterRequestTimeoutNamingTheHandshake()
    {
        await using FakeNode node = FakeNode.Start(_ => FakeReply.Echo);
        var options = new UpstreamOptions
        {
            ConnectTimeout = TestOptions.ConnectTimeout,
            RequestTimeout = TimeSpan.FromMilliseconds(200),
            Handshake = new SlowHandshake(Timeout.InfiniteTimeSpan),
        };
        await using var client = new NodeClient("node-h", node.Address, options);

        UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("PING")).AsTask().WaitAsync(Generous));

        Assert.Equal($"node node-h ({node.Address}): connected, but the handshake (TLS, AUTH) did not finish within 200 ms", e.Message);
        Assert.True(client.IsDown);
    }

    /// <summary>A handshake that takes <paramref name="delay"/> and then uses the stream as it is.</summary>
    private sealed class SlowHandshake(TimeSpan delay) : IUpstreamHandshake
    {
        public string Target(string address) => address;

        public async ValueTask<Stream> HandshakeAsync(string nodeName, string host, Stream network, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return network;
        }
    }

    [Fact]
    public async Task SendAsync_NodeClosesMidPipeline_PendingFailAndNodeMarkedDownOnce()
    {
        await using FakeNode node = FakeNode.Start(i => i < 2 ? FakeReply.Echo : i < 7 ? FakeReply.Silent : FakeReply.Close);
        await using var client = new NodeClient("node-c", node.Address, TestOptions.Create(connections: 1));

        Task<RespValue>[] requests = [.. Enumerable.Range(0, 8).Select(i => client.SendAsync(Command.Of("ECHO", $"v{i}")).AsTask())];
        await Task.WhenAll(requests).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Generous);

        Assert.Equal(2, requests.Count(r => r.IsCompletedSuccessfully));
        Assert.All(requests.Where(r => !r.IsCompletedSuccessfully), r => Assert.IsType<UpstreamException>(r.Exception!.InnerException));
        Assert.Equal((2, 6, 1), (client.RequestsSucceeded, client.RequestsFailed, client.MarkedDownCount));
        Assert.True(client.IsDown);
    }

    [Fact]
    public async Task DisposeAsync_ThenSend_FailsWithUpstreamException()
    {
        await using FakeNode node = FakeNode.Start(_ => FakeReply.Echo);
        var client = new NodeClient("node-d", node.Address, TestOptions.Create());
        Command.AssertBulk("x", await client.SendAsync(Command.Of("ECHO", "x")));

        await client.DisposeAsync();

        UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(async () => await client.SendAsync(Command.Of("ECHO", "y")));
        Assert.Contains("the router closed the connection", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.OpenConnections);
    }

    [Theory]
    [InlineData("", "127.0.0.1:6379", "name")]
    [InlineData("node-0", "127.0.0.1", "address")]
    public void Constructor_BadNameOrAddress_ThrowsNamingTheParameter(string name, string address, string parameter)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new NodeClient(name, address));

        Assert.Equal(parameter, e.ParamName);
    }
}
