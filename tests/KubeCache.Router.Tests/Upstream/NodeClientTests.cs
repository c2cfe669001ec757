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

        // Every reply differs: INCRBY of a fresh key returns the increment, ECHO its argument.
        // A reply handed to the wrong caller fails that caller's assertion.
        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(task => Task.Run(async () =>
        {
            var replies = new ValueTask<RespValue>[PerTask];
            for (int i = 0; i < PerTask; i++)
            {
                long unique = (task * PerTask) + i + 1;
                replies[i] = i % 2 == 0
                    ? client.SendAsync(Command.Of("INCRBY", $"{prefix}:{unique}", $"{unique}"))
                    : client.SendAsync(Command.Of("ECHO", $"{prefix}:{unique}"));
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
                    Command.AssertBulk($"{prefix}:{unique}", reply);
                }
            }
        })));

        Assert.Equal(Tasks * PerTask, client.RequestsSucceeded);
        Assert.Equal(0, client.RequestsFailed);
        Assert.Equal(2, client.OpenConnections);
    }
}
