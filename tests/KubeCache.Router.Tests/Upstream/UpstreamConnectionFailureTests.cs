using KubeCache.Protocol;
using KubeCache.Router.Tests.Support;
using KubeCache.Router.Upstream;
using KubeCache.Testing;
using Microsoft.AspNetCore.Connections;

namespace KubeCache.Router.Tests.Upstream;

/// <summary>One connection against a fake node that misbehaves on cue.</summary>
public class UpstreamConnectionFailureTests
{
    /// <summary>What the connections run on: .NET's sockets here, the event loop in the derived class.</summary>
    protected virtual IConnectionFactory? Transport => null;

    private UpstreamOptions Options => TestOptions.Create(requestMs: 200, transport: Transport);

    [Fact]
    public async Task SendAsync_NodeClosesMidPipeline_AnsweredSucceedAndAllPendingFail()
    {
        // Answers three, reads the rest without answering, and closes after the tenth. The close
        // fails the silent ones, not the request timeout, which a loaded machine (CI starting
        // every suite at once) could reach for the first replies at the short one of the others.
        await using FakeNode node = FakeNode.Start(i => i < 3 ? FakeReply.Echo : i < 9 ? FakeReply.Silent : FakeReply.Close);
        await using UpstreamConnection connection = await UpstreamConnection.ConnectAsync("node-c", node.Address, TestOptions.Create(transport: Transport));

        Task<RespValue>[] requests = [.. Enumerable.Range(0, 10).Select(i => connection.SendAsync(Command.Of("ECHO", $"v{i}")).AsTask())];
        await Task.WhenAll(requests).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(10));

        for (int i = 0; i < 3; i++)
        {
            Command.AssertBulk($"v{i}", await requests[i]);
        }

        for (int i = 3; i < 10; i++)
        {
            UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(() => requests[i]);
            Assert.Equal($"node node-c ({node.Address}): the node closed the connection", e.Message);
        }

        Assert.False(connection.IsAlive);
        UpstreamException later = await Assert.ThrowsAsync<UpstreamException>(async () => await connection.SendAsync(Command.Of("PING")));
        Assert.Same(connection.Failure, later);
    }

    [Fact]
    public async Task SendAsync_NodeNeverAnswers_AllPendingFailAfterRequestTimeout()
    {
        await using FakeNode node = FakeNode.Start(_ => FakeReply.Silent);
        await using UpstreamConnection connection = await UpstreamConnection.ConnectAsync("node-s", node.Address, Options);

        Task<RespValue>[] requests = [.. Enumerable.Range(0, 5).Select(i => connection.SendAsync(Command.Of("ECHO", $"v{i}")).AsTask())];

        foreach (Task<RespValue> request in requests)
        {
            UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(() => request.WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal($"node node-s ({node.Address}): no reply within 200 ms", e.Message);
        }

        Assert.False(connection.IsAlive);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsWhileAwaiting_LaterRequestStillGetsItsOwnReply()
    {
        // The first reply is held back until the second request is made: the cancelled request
        // keeps its place in the FIFO, so its late reply is dropped rather than given to the next.
        await using FakeNode node = FakeNode.Start(i => i == 0 ? FakeReply.EchoHeld : FakeReply.Echo);
        // The default request timeout (10 s): under 200 ms the watchdog could fail the connection
        // while the reply is held on a loaded machine, which is another test's subject.
        await using UpstreamConnection connection = await UpstreamConnection.ConnectAsync("node-h", node.Address, TestOptions.Create(transport: Transport));
        using var cancel = new CancellationTokenSource();

        ValueTask<RespValue> first = connection.SendAsync(Command.Of("ECHO", "first"), cancel.Token);
        await Poll.UntilAsync(() => Task.FromResult(node.CommandsReceived == 1), "the first command to arrive");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await first);

        ValueTask<RespValue> second = connection.SendAsync(Command.Of("ECHO", "second"));
        node.ReleaseHeld();
        Command.AssertBulk("second", await second);
    }

    [Fact]
    public async Task DisposeAsync_RequestsAwaiting_FailNamingTheRouter()
    {
        await using FakeNode node = FakeNode.Start(_ => FakeReply.Silent);
        UpstreamConnection connection = await UpstreamConnection.ConnectAsync("node-d", node.Address, TestOptions.Create(transport: Transport));
        ValueTask<RespValue> pending = connection.SendAsync(Command.Of("PING"));
        await Poll.UntilAsync(() => Task.FromResult(node.CommandsReceived == 1), "the command to arrive");

        await connection.DisposeAsync();

        UpstreamException e = await Assert.ThrowsAsync<UpstreamException>(async () => await pending);
        Assert.Contains("the router closed the connection", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>The same cases on the event loop's connections (<see cref="KubeCache.Hosting.Transport.EpollTransportFactory"/>).</summary>
public sealed class UpstreamConnectionFailureOnEventLoopTests : UpstreamConnectionFailureTests
{
    protected override IConnectionFactory? Transport => TestTransports.EventLoop;
}
