using KubeCache.Protocol;
using KubeCache.Router.Tests.Support;
using KubeCache.Router.Upstream;
using KubeCache.Testing;

namespace KubeCache.Router.Tests.Upstream;

/// <summary>A node client against a real node started in-process.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class NodeClientTests(NodeFixture fixture)
{
    private static readonly UpstreamOptions Options = TestOptions.Create();

    [Fact]
    public async Task SendAsync_SetThenGet_RoundTripsOverLazilyOpenedConnection()
    {
        await using var client = new NodeClient("node-0", fixture.Address, Options);
        Assert.Equal(0, client.OpenConnections);
        string key = Keys.Unique("client");

        Command.AssertOk(await client.SendAsync(Command.Of("SET", key, "v")));
        Command.AssertBulk("v", await client.SendAsync(Command.Of("GET", key)));

        Assert.Equal(2, client.RequestsSucceeded);
        Assert.Equal(0, client.RequestsFailed);
        Assert.False(client.IsDown);
    }

    /// <summary>
    /// Regression (CI of 3340ab6: a request of fifty concurrent senders failed with "the router
    /// closed the connection"): a sender that found the slot's connection still being opened, and
    /// got to <see cref="NodeClient.Opening"/> after the attempt had succeeded, took the finished
    /// attempt for a dead one, replaced it and closed the new connection under the senders already
    /// waiting on it. Here the sender arrives with that finished attempt, as it would after the race.
    /// </summary>
    [Fact]
    public async Task Opening_AttemptFinishedSinceTheSenderLooked_KeepsTheConnection()
    {
        await using var client = new NodeClient("node-0", fixture.Address, TestOptions.Create(connections: 2));
        Command.AssertBulk("open", await client.SendAsync(Command.Of("ECHO", "open")));
        Task<UpstreamConnection> opened = client.Slot(0)!;

        UpstreamConnection connection = await client.Opening(0, opened, CancellationToken.None);

        Assert.Same(await opened, connection);
        Assert.True(connection.IsAlive, "the connection the finished attempt opened was closed");
        Command.AssertBulk("still", await client.SendAsync(Command.Of("ECHO", "still")));
        Assert.Equal((2, 0, 1), (client.RequestsSucceeded, client.RequestsFailed, client.OpenConnections));
    }

    [Fact]
    public async Task SendAsync_ErrorReply_CountsAsSuccessNotFailure()
    {
        await using var client = new NodeClient("node-0", fixture.Address, Options);

        RespValue reply = await client.SendAsync(Command.Of("NOSUCHCOMMAND"));

        Assert.True(reply.IsError);
        Assert.Equal((1, 0), (client.RequestsSucceeded, client.RequestsFailed));
        Assert.False(client.IsDown);
    }

    [Fact]
    public async Task SendAsync_TenThousandFromFiftyTasksOverTwoConnections_EachGetsItsOwnReply()
    {
        const int Tasks = 50, PerTask = 200;
        await using var client = new NodeClient("node-0", fixture.Address, TestOptions.Create(connections: 2));
        string prefix = Keys.Unique("load");
        string large = new('x', UpstreamConnection.LargeTransferBytes);

        // Opened first: requests made while a connection is being opened all wait for that one.
        Command.AssertBulk("open", await client.SendAsync(Command.Of("ECHO", "open")));

        // Every reply differs: INCRBY of a fresh key returns the increment, ECHO its argument.
        // A reply handed to the wrong caller fails that caller's assertion. Every 50th request
        // carries a large value, which sends the requests made meanwhile to the second connection.
        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(task => Task.Run(async () =>
        {
            var replies = new ValueTask<RespValue>[PerTask];
            for (int i = 0; i < PerTask; i++)
            {
                long unique = (task * PerTask) + i + 1;
                replies[i] = i % 2 == 0
                    ? client.SendAsync(Command.Of("INCRBY", $"{prefix}:{unique}", $"{unique}"))
                    : client.SendAsync(Command.Of("ECHO", Echoed(prefix, unique, i, large)));
            }

            for (int i = 0; i < PerTask; i++)
            {
                long unique = (task * PerTask) + i + 1;
                RespValue reply = await replies[i];
                if (i % 2 == 0)
                {
                    Assert.Equal(unique, reply.AsInt64());
                }
                else
                {
                    Command.AssertBulk(Echoed(prefix, unique, i, large), reply);
                }
            }
        })));

        Assert.Equal((Tasks * PerTask) + 1, client.RequestsSucceeded);
        Assert.Equal(0, client.RequestsFailed);
        Assert.Equal(2, client.OpenConnections);
    }

    [Fact]
    public async Task SendAsync_SmallRequestsFromFiftyTasks_ShareOneConnection()
    {
        // Requests that carry no large value all go over the first connection, so a batch of them
        // leaves in one write; round-robin over two spread them, and doubled the writes.
        const int Tasks = 50, PerTask = 100;
        await using var client = new NodeClient("node-0", fixture.Address, TestOptions.Create(connections: 2));
        string prefix = Keys.Unique("share");
        Command.AssertBulk("open", await client.SendAsync(Command.Of("ECHO", "open")));

        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(task => Task.Run(async () =>
        {
            var replies = new ValueTask<RespValue>[PerTask];
            for (int i = 0; i < PerTask; i++)
            {
                replies[i] = client.SendAsync(Command.Of("SET", $"{prefix}:{task}:{i}", "v"));
            }

            for (int i = 0; i < PerTask; i++)
            {
                Command.AssertOk(await replies[i]);
            }
        })));

        Assert.Equal((Tasks * PerTask) + 1, client.RequestsSucceeded);
        Assert.Equal(1, client.OpenConnections);
    }

    private static string Echoed(string prefix, long unique, int i, string large) =>
        i % 50 == 1 ? $"{prefix}:{unique}:{large}" : $"{prefix}:{unique}";
}
